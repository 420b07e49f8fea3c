"""Background workers of the notification service (run by the kit runtime when ``RUN_WORKERS`` is on)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import httpx
from onematter_kit.runtime import ServiceRuntime

from onematter_notification.adapters.channels import (
    Channel,
    EmailChannel,
    HttpSmsProvider,
    SmsChannel,
    WebhookChannel,
)
from onematter_notification.config import NotificationSettings
from onematter_notification.domain.delivery import RetryPolicy
from onematter_notification.service_layer.deliveries import DeliveryWorker
from onematter_notification.service_layer.digests import flush_due

__all__ = ["delivery_worker", "digest_worker", "personal_channels"]

log = logging.getLogger("onematter.notification.workers")


def personal_channels(settings: NotificationSettings) -> frozenset[str]:
    """The channels a personal message is copied to besides the inbox: only those that are configured."""
    return frozenset({"email"} if settings.smtp_host else set()) | frozenset(
        {"sms"} if settings.sms_provider_url else set()
    )


async def digest_worker(runtime: ServiceRuntime) -> None:
    """Flush due digests every ``worker_poll_seconds``; survives database outages."""
    settings: Any = runtime.settings
    channels = personal_channels(settings)
    while True:
        try:
            async with runtime.uow() as uow:
                await flush_due(uow, channels=channels)
                await uow.commit()
        except Exception as exc:
            log.warning(
                "digest flush failed, retrying",
                extra={"error": f"{type(exc).__name__}: {exc}"[:300]},
                exc_info=True,
            )
        await asyncio.sleep(settings.worker_poll_seconds)


def _channels(settings: NotificationSettings, client: httpx.AsyncClient) -> dict[str, Channel]:
    channels: dict[str, Channel] = {
        "webhook": WebhookChannel(client=client, allow_private=settings.webhook_allow_private_networks)
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


async def delivery_worker(runtime: ServiceRuntime) -> None:
    """Attempt due deliveries; woken right after a commit that queued one, else every poll interval."""
    settings: Any = runtime.settings
    wake: asyncio.Event = runtime.extras["signals"].deliveries
    policy = RetryPolicy(
        base_seconds=settings.delivery_backoff_base_seconds,
        cap_seconds=settings.delivery_backoff_cap_seconds,
        horizon_seconds=settings.delivery_retry_horizon_seconds,
    )
    async with httpx.AsyncClient(timeout=settings.webhook_timeout_seconds, follow_redirects=False) as client:
        worker = DeliveryWorker(
            uow_factory=runtime.uow,
            channels=_channels(settings, client),
            policy=policy,
            lease_seconds=settings.delivery_lease_seconds,
        )
        while True:
            wake.clear()
            try:
                if await worker.run_once():
                    continue
            except Exception as exc:
                log.warning(
                    "delivery round failed, retrying",
                    extra={"error": f"{type(exc).__name__}: {exc}"[:300]},
                    exc_info=True,
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=settings.worker_poll_seconds)
