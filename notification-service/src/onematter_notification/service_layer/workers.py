"""Background workers of the notification service (run by the kit runtime when ``RUN_WORKERS`` is on).

Both survive database outages with the kit's backoff (``onematter_kit.backoff``): a failed round waits
0.2 s, then twice as long each time up to the poll interval's cap, and starts over after a success.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, cast

import httpx
from onematter_kit.backoff import Backoff, run_forever
from onematter_kit.runtime import ServiceRuntime

from onematter_notification.adapters.channels import (
    Channel,
    DeliveryError,
    DeliveryJob,
    EmailChannel,
    HttpSmsProvider,
    SendResult,
    SmsChannel,
    WebhookChannel,
)
from onematter_notification.adapters.pinned import PinnedTransport, public_addresses_only
from onematter_notification.config import NotificationSettings
from onematter_notification.domain.delivery import RetryPolicy
from onematter_notification.service_layer.deliveries import AttemptResult, claim_due, record_attempt
from onematter_notification.service_layer.digests import flush_due
from onematter_notification.service_layer.signals import Signals
from onematter_notification.service_layer.unit_of_work import NotificationUnitOfWork

__all__ = ["DeliveryWorker", "delivery_worker", "digest_worker", "personal_channels", "webhook_client"]

log = logging.getLogger("onematter.notification.workers")
#: Failed rounds back off from this up to ten poll intervals.
_FIRST_RETRY = 0.2


def personal_channels(settings: NotificationSettings) -> frozenset[str]:
    """The channels a personal message is copied to besides the inbox: only those that are configured."""
    return frozenset({"email"} if settings.smtp_host else set()) | frozenset(
        {"sms"} if settings.sms_provider_url else set()
    )


def _settings(runtime: ServiceRuntime) -> NotificationSettings:
    return cast(NotificationSettings, runtime.settings)


def _uow_factory(runtime: ServiceRuntime) -> Callable[[], NotificationUnitOfWork]:
    return cast(Callable[[], NotificationUnitOfWork], runtime.uow)


async def digest_worker(runtime: ServiceRuntime[Any]) -> None:
    """Send due digests every ``worker_poll_seconds``."""
    settings, new_uow = _settings(runtime), _uow_factory(runtime)
    channels = personal_channels(settings)
    poll = settings.worker_poll_seconds
    await run_forever(
        lambda: flush_due(new_uow(), channels=channels),
        every=poll,
        backoff=Backoff(initial=_FIRST_RETRY, maximum=max(_FIRST_RETRY, 10 * poll)),
        log=log,
        what="digest flush failed, retrying",
    )


class DeliveryWorker:
    """One round: claim the due deliveries, attempt them concurrently, record each result."""

    def __init__(
        self,
        *,
        uow_factory: Callable[[], NotificationUnitOfWork],
        channels: Mapping[str, Channel],
        policy: RetryPolicy,
        lease_seconds: float = 60.0,
        batch_size: int = 50,
    ) -> None:
        self._uow_factory, self._channels, self._policy = uow_factory, channels, policy
        self._lease, self._batch = timedelta(seconds=lease_seconds), batch_size

    async def run_once(self) -> int:
        """Attempt every due delivery once; returns how many were attempted."""
        jobs = await claim_due(
            self._uow_factory(), channels=list(self._channels), lease=self._lease, limit=self._batch
        )
        await asyncio.gather(*(self._attempt(job) for job in jobs))
        return len(jobs)

    async def _attempt(self, job: DeliveryJob) -> None:
        started = time.monotonic()
        sent: SendResult | DeliveryError
        try:
            sent = await self._channels[job.channel].send(job)
        except DeliveryError as exc:
            sent = exc
        except Exception as exc:  # a channel bug must not stop the worker; it counts as a failed attempt
            sent = DeliveryError(f"{type(exc).__name__}: {exc}"[:500])
        result = AttemptResult(
            delivery_id=job.id,
            succeeded=sent.status if isinstance(sent, SendResult) else None,
            status_code=sent.status_code,
            error=str(sent) if isinstance(sent, DeliveryError) else None,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        await record_attempt(result, self._uow_factory(), policy=self._policy)


def webhook_client(settings: NotificationSettings) -> httpx.AsyncClient:
    """The webhook client: each connection goes to the address that passed the check (DNS rebinding)."""
    permits = public_addresses_only(
        allow_private=settings.webhook_allow_private_networks, loopback=settings.webhook_loopback_receivers
    )
    return httpx.AsyncClient(
        transport=PinnedTransport(permits=permits),
        timeout=settings.webhook_timeout_seconds,
        follow_redirects=False,
    )


def _channels(
    settings: NotificationSettings,
    *,
    client: httpx.AsyncClient,
    hooks: httpx.AsyncClient,
    runtime: ServiceRuntime,
) -> dict[str, Channel]:
    channels: dict[str, Channel] = {
        "webhook": WebhookChannel(
            client=hooks,
            allow_private=settings.webhook_allow_private_networks,
            clock=runtime.clock,
            loopback=settings.webhook_loopback_receivers,
        )
    }
    if settings.smtp_host:
        channels["email"] = EmailChannel(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            timeout=settings.smtp_timeout_seconds,
        )
    if settings.sms_provider_url:
        channels["sms"] = SmsChannel(HttpSmsProvider(url=settings.sms_provider_url, client=client))
    return channels


async def _woken(wake: asyncio.Event, *, timeout: float) -> None:  # noqa: ASYNC109
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(wake.wait(), timeout=timeout)


async def delivery_worker(runtime: ServiceRuntime[Any]) -> None:
    """Attempt due deliveries; woken right after a commit that queued one, else every poll interval."""
    settings = _settings(runtime)
    wake = cast(Signals, runtime.extras["signals"]).deliveries
    policy = RetryPolicy(
        base_seconds=settings.delivery_backoff_base_seconds,
        cap_seconds=settings.delivery_backoff_cap_seconds,
        horizon_seconds=settings.delivery_retry_horizon_seconds,
    )
    async with (
        httpx.AsyncClient(timeout=settings.webhook_timeout_seconds, follow_redirects=False) as client,
        webhook_client(settings) as hooks,
    ):
        worker = DeliveryWorker(
            uow_factory=_uow_factory(runtime),
            channels=_channels(settings, client=client, hooks=hooks, runtime=runtime),
            policy=policy,
            lease_seconds=settings.delivery_lease_seconds,
        )

        async def round_() -> None:
            wake.clear()  # cleared before looking, so a commit during the round wakes the next wait
            if not await worker.run_once():
                await _woken(wake, timeout=settings.worker_poll_seconds)

        await run_forever(
            round_,
            every=0,
            backoff=Backoff(
                initial=_FIRST_RETRY, maximum=max(_FIRST_RETRY, 10 * settings.worker_poll_seconds)
            ),
            log=log,
            what="delivery round failed, retrying",
        )
