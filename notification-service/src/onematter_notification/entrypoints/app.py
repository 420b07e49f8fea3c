"""Composition root of the notification service: ``create_app(settings)``; nothing is built at import time."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from onematter_clock import Clock
from onematter_events import Stream, task_topic_pattern, topic_name
from onematter_kit.database import is_postgres
from onematter_kit.runtime import ConsumerSpec, ServiceRuntime, create_service_app

from onematter_notification.adapters.catalog_names import CatalogNameSource
from onematter_notification.adapters.wakeups import InboxListener
from onematter_notification.config import NotificationSettings
from onematter_notification.domain.streams import StreamSlots
from onematter_notification.entrypoints import inbox, stream, subscriptions
from onematter_notification.service_layer.events import handlers_for, make_handler
from onematter_notification.service_layer.signals import Signals
from onematter_notification.service_layer.unit_of_work import uow_class_for
from onematter_notification.service_layer.workers import delivery_worker, digest_worker, personal_channels

__all__ = ["MIGRATIONS", "create_app"]

Lifespan = Callable[[Any], AbstractAsyncContextManager[Any]]
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _consumers(settings: NotificationSettings) -> list[ConsumerSpec]:
    """One consumer group per stream; every event also feeds webhook subscriptions."""
    prefix = settings.kafka_topic_prefix
    signer = settings.internal_signer()
    handle = make_handler(
        channels=personal_channels(settings),
        digest_window=timedelta(seconds=settings.digest_window_seconds),
        catalog=CatalogNameSource(base_url=settings.catalog_url, signer=signer),
    )
    acceptance = handlers_for({"acceptance"}, handle)
    return [
        ConsumerSpec("applications", acceptance, topics=[topic_name(Stream.applications, prefix)]),
        ConsumerSpec("tasks", acceptance, pattern=task_topic_pattern(prefix)),
        ConsumerSpec(
            "materials", handlers_for({"material"}, handle), topics=[topic_name(Stream.materials, prefix)]
        ),
        ConsumerSpec(
            "catalog", handlers_for({"matter-catalog"}, handle), topics=[topic_name(Stream.catalog, prefix)]
        ),
        ConsumerSpec(
            "hotline", handlers_for({"hotline"}, handle), topics=[topic_name(Stream.hotline, prefix)]
        ),
    ]


def create_app(settings: NotificationSettings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """The service's app; ``clock`` replaces the one the settings build (tests pin time with it)."""
    settings = settings or NotificationSettings()
    signals = Signals()
    prefix = settings.kafka_topic_prefix
    runtime = ServiceRuntime(
        settings=settings,
        migrations=MIGRATIONS,
        uow_class=uow_class_for(signals),
        consumers=_consumers(settings),
        topics=[topic_name(stream, prefix) for stream in Stream],
        workers=[digest_worker, delivery_worker],
        extras={
            "signals": signals,
            "stream_slots": StreamSlots(
                per_user=settings.sse_max_streams_per_user, total=settings.sse_max_streams
            ),
        },
    )
    if clock is not None:
        runtime.clock = clock
    app = create_service_app(
        runtime,
        title="OneMatter notification service",
        routers=[stream.router, inbox.router, subscriptions.router],
    )
    app.router.lifespan_context = _with_listener(app.router.lifespan_context, runtime, signals)
    return app


def _with_listener(inner: Lifespan, runtime: ServiceRuntime[Any], signals: Signals) -> Lifespan:
    """The kit's lifespan, plus (on PostgreSQL) the LISTEN that wakes this replica's streams for
    messages other replicas committed; it runs on every replica that serves streams, workers or not."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with inner(app):
            if not is_postgres(runtime.engine):
                yield
                return
            listener = InboxListener(
                runtime.engine, on_addresses=signals.inbox.publish, on_reconnect=signals.inbox.publish_all
            )
            runtime.extras["inbox_listener"] = listener
            task = asyncio.create_task(listener.run(), name="inbox-listener")
            try:
                yield
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    return lifespan
