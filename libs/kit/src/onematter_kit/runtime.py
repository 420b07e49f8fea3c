"""The composition root's building blocks: one :class:`ServiceRuntime` per process and the FastAPI app.

Nothing is built at import time. ``create_app(settings)`` in each service builds a runtime (engine,
session factory, outbox relay, consumers) and hands it to :func:`create_service_app`, whose lifespan
migrates, creates topics, starts the workers and stops them again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Collection, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from onematter_events import dead_letter_topic

from onematter_kit.consumer import EventHandler, IdempotentConsumer
from onematter_kit.database import create_engine, create_session_factory, ping
from onematter_kit.internal_auth import InternalAuthMiddleware
from onematter_kit.kafka import create_producer, ensure_topics, kafka_ping
from onematter_kit.migrations import upgrade_to_head
from onematter_kit.nul_guard import NulByteGuard
from onematter_kit.observability import RequestContextMiddleware, ServiceMetrics, configure_logging
from onematter_kit.outbox import OutboxRelay
from onematter_kit.problems import install_problem_handlers, problem_response
from onematter_kit.settings import ServiceSettings
from onematter_kit.unit_of_work import SqlUnitOfWork

__all__ = ["ConsumerSpec", "ServiceRuntime", "create_service_app"]

log = logging.getLogger("onematter.runtime")


@dataclass(frozen=True)
class ConsumerSpec:
    """One consumer group of a service: ``<service>.<name>``."""

    name: str
    handlers: dict[str, EventHandler]
    topics: Collection[str] = ()
    pattern: str | None = None


@dataclass
class ServiceRuntime:
    settings: ServiceSettings
    migrations: Path
    #: Topics this service produces to or consumes from; created at start-up if missing.
    topics: Sequence[str] = ()
    consumers: Sequence[ConsumerSpec] = ()
    uow_class: type[SqlUnitOfWork] = SqlUnitOfWork
    #: Extra periodic or background jobs: coroutine functions of the runtime, run until cancelled.
    workers: Sequence[Callable[[ServiceRuntime], Any]] = ()
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        #: The one clock of this process; handlers and workers take "now" and "today" (China) from it.
        self.clock = self.settings.build_clock()
        self.engine = create_engine(self.settings.database_url, pool_size=self.settings.database_pool_size)
        self.session_factory = create_session_factory(self.engine)
        self.metrics = ServiceMetrics(self.settings.service_name)
        self.relay = OutboxRelay(session_factory=self.session_factory, producer_factory=self._new_producer)
        self.consumer_instances = [
            IdempotentConsumer(
                name=f"{self.settings.kafka_topic_prefix}{self.settings.service_name}.{spec.name}",
                bootstrap_servers=self.settings,
                uow_factory=self.uow,
                handlers=spec.handlers,
                topics=spec.topics,
                pattern=spec.pattern,
                dead_letter=self._dead_letter,
            )
            for spec in self.consumers
        ]
        self._tasks: list[asyncio.Task[Any]] = []
        self._dlq_producer: Any = None

    def uow(self) -> SqlUnitOfWork:
        return self.uow_class(
            self.session_factory,
            topic_prefix=self.settings.kafka_topic_prefix,
            on_commit=self.relay.wake,
            clock=self.clock,
        )

    def _new_producer(self) -> Any:
        return create_producer(self.settings, client_id=self.settings.service_name)

    async def _dead_letter(self, topic: str, key: bytes | None, value: bytes | None, reason: str) -> None:
        target = dead_letter_topic(topic)
        await ensure_topics(self.settings, [target], partitions=1)
        if self._dlq_producer is None:
            self._dlq_producer = self._new_producer()
            await self._dlq_producer.start()
        await self._dlq_producer.send_and_wait(
            target, value=value, key=key, headers=[("onematter-dlq-reason", reason.encode()[:2000])]
        )

    async def start(self) -> None:
        await upgrade_to_head(self.migrations, self.settings.database_url)
        if self.settings.kafka_enabled and self.settings.run_workers:
            self._spawn("topics", self._ensure_topics_until_done())
            self._spawn("outbox-relay", self.relay.run())
            for consumer in self.consumer_instances:
                self._spawn(consumer.name, consumer.run())
        if self.settings.run_workers:
            for worker in self.workers:
                self._spawn(getattr(worker, "__name__", "worker"), worker(self))

    def _spawn(self, name: str, coroutine: Any) -> None:
        self._tasks.append(asyncio.create_task(coroutine, name=name))

    async def _ensure_topics_until_done(self) -> None:
        # Kafka may start after the service; topics are created as soon as it answers.
        delay = 0.5
        while True:
            try:
                await ensure_topics(self.settings, self.topics)
                return
            except Exception as exc:
                log.warning("cannot create topics yet", extra={"error": f"{type(exc).__name__}: {exc}"[:200]})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        if self._dlq_producer is not None:
            with contextlib.suppress(Exception):
                await self._dlq_producer.stop()
        await self.engine.dispose()

    async def readiness(self) -> dict[str, str]:
        checks: dict[str, str] = {}
        probes: dict[str, Any] = {"database": ping(self.engine)}
        if self.settings.kafka_enabled:
            probes["kafka"] = kafka_ping(self.settings)
        for name, probe in probes.items():
            try:
                await asyncio.wait_for(probe, timeout=3)
                checks[name] = "ok"
            except Exception as exc:
                checks[name] = f"unavailable: {type(exc).__name__}"
        return checks


def _health_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "alive", "service": runtime.settings.service_name}

    @router.get("/readyz")
    async def readyz() -> Response:
        checks = await runtime.readiness()
        if all(v == "ok" for v in checks.values()):
            return JSONResponse(
                {"status": "ready", "service": runtime.settings.service_name, "checks": checks}
            )
        return problem_response(
            503,
            detail="Not ready: " + ", ".join(k for k, v in checks.items() if v != "ok"),
            service=runtime.settings.service_name,
            checks=checks,
        )

    @router.get("/metrics")
    async def metrics(request: Request) -> Response:
        runtime.extras.get("collect_metrics", lambda: None)()
        body, content_type = runtime.metrics.render()
        return Response(body, media_type=content_type)

    return router


def create_service_app(
    runtime: ServiceRuntime, *, title: str, routers: Sequence[APIRouter], version: str = "1.0.0"
) -> FastAPI:
    settings = runtime.settings
    configure_logging(settings.service_name, level=settings.log_level, json_logs=settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(title=title, version=version, lifespan=lifespan)
    app.state.runtime = runtime
    install_problem_handlers(app)
    app.include_router(_health_router(runtime))
    for router in routers:
        app.include_router(router)
    app.add_middleware(NulByteGuard)  # inside the auth check: a caller without a token still gets 401
    app.add_middleware(
        InternalAuthMiddleware, secret=settings.internal_token_secret, audience=settings.service_name
    )
    app.add_middleware(RequestContextMiddleware, metrics=runtime.metrics)
    return app
