"""Channels: where a delivery goes (email over SMTP, SMS through an HTTP provider, webhooks over HTTP).

Each channel's ``send`` either returns a :class:`SendResult` or raises :class:`DeliveryError`; it never
retries by itself — retry, backoff and giving up belong to the delivery worker.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Collection
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

import aiosmtplib
import httpx
from onematter_clock import Clock
from onematter_kit import faults

from onematter_notification.adapters.ssrf import UnsafeCallbackUrl, check_callback_url
from onematter_notification.domain.delivery import EVENT_ID_HEADER, SIGNATURE_HEADER, DeliveryStatus, sign
from onematter_notification.domain.loopback import LoopbackReceiver

__all__ = [
    "Channel",
    "DeliveryError",
    "DeliveryJob",
    "EmailChannel",
    "HttpSmsProvider",
    "SendResult",
    "SmsChannel",
    "SmsProvider",
    "WebhookChannel",
]


class DeliveryError(Exception):
    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


@dataclass(frozen=True)
class DeliveryJob:
    id: str
    channel: str
    address: str
    payload: str
    cause_id: str
    #: The subscription's signing secret (webhooks only).
    secret: str | None = None


@dataclass(frozen=True)
class SendResult:
    status: DeliveryStatus
    status_code: int | None = None


class Channel(abc.ABC):
    name: str

    @abc.abstractmethod
    async def send(self, job: DeliveryJob) -> SendResult: ...


class EmailChannel(Channel):
    """SMTP (aiosmtplib). ``sent`` means the server accepted the message: SMTP gives no delivery receipt."""

    name = "email"

    def __init__(self, *, host: str, port: int, sender: str, timeout: float = 10.0) -> None:
        self._host, self._port, self._sender, self._timeout = host, port, sender, timeout

    async def send(self, job: DeliveryJob) -> SendResult:
        content = json.loads(job.payload)
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self._sender, job.address, content["subject"]
        message["X-OneMatter-Message-Id"] = job.cause_id
        message.set_content(content["body"])
        try:
            await aiosmtplib.send(message, hostname=self._host, port=self._port, timeout=self._timeout)
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP: {type(exc).__name__}: {exc}"[:500]) from None
        return SendResult(DeliveryStatus.sent)


class SmsProvider(Protocol):
    async def send_text(self, *, phone: str, text: str) -> None: ...


class HttpSmsProvider:
    """A generic HTTP SMS gateway: ``POST <url> {"phone", "text"}``; any non-2xx answer is a failure."""

    def __init__(self, *, url: str, client: httpx.AsyncClient) -> None:
        self._url, self._client = url, client

    async def send_text(self, *, phone: str, text: str) -> None:
        response = await self._client.post(self._url, json={"phone": phone, "text": text})
        if not response.is_success:
            raise DeliveryError(
                f"SMS provider answered {response.status_code}", status_code=response.status_code
            )


class SmsChannel(Channel):
    name = "sms"

    def __init__(self, provider: SmsProvider) -> None:
        self._provider = provider

    async def send(self, job: DeliveryJob) -> SendResult:
        content = json.loads(job.payload)
        try:
            await self._provider.send_text(
                phone=job.address, text=f"{content['subject']}: {content['body']}"[:500]
            )
        except httpx.HTTPError as exc:
            raise DeliveryError(f"SMS: {type(exc).__name__}: {exc}"[:500]) from None
        return SendResult(DeliveryStatus.sent)


class WebhookChannel(Channel):
    """POST the CloudEvent, signed; only a 2xx answer counts. The URL is re-checked before every call.

    The signature's timestamp is the service clock's "now" (receivers refuse stale ones)."""

    name = "webhook"

    def __init__(
        self,
        *,
        client: httpx.AsyncClient,
        allow_private: bool,
        clock: Clock,
        loopback: Collection[LoopbackReceiver] = frozenset(),
    ) -> None:
        self._client, self._allow_private, self._clock = client, allow_private, clock
        self._loopback = loopback

    async def send(self, job: DeliveryJob) -> SendResult:
        try:
            await check_callback_url(job.address, allow_private=self._allow_private, loopback=self._loopback)
        except UnsafeCallbackUrl as exc:
            raise DeliveryError(f"refused: {exc}") from None
        body = job.payload.encode()
        headers = {
            "Content-Type": "application/cloudevents+json",
            EVENT_ID_HEADER: job.cause_id,
            SIGNATURE_HEADER: sign(job.secret or "", timestamp=int(self._clock.now().timestamp()), body=body),
            "User-Agent": "OneMatter-Webhooks/1.0",
        }
        try:
            response = await self._client.post(job.address, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}"[:500]) from None
        faults.reach("webhook.answered")  # tests only: a crash before the answer is recorded
        if not response.is_success:
            raise DeliveryError(f"HTTP {response.status_code}", status_code=response.status_code)
        return SendResult(DeliveryStatus.delivered, response.status_code)
