"""The composition root's building blocks: one :class:`ServiceRuntime` per process and the FastAPI app.

Nothing is built at import time. ``create_app(settings)`` in each service builds a runtime (engine,
session factory, outbox relay, consumers) and hands it to :func:`create_service_app`, whose lifespan
migrates, creates topics, starts the workers and stops them again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Collection, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from onematter_events import dead_letter_topic
from typing_extensions import TypeVar

from onematter_kit import faults
from onematter_kit.backoff import Backoff, retry
from onematter_kit.consumer import EventHandler, IdempotentConsumer
from onematter_kit.database import create_engine, create_session_factory, ping
from onematter_kit.internal_auth import InternalAuthMiddleware
from onematter_kit.kafka import create_producer, ensure_topics, kafka_ping, stop_within
from onematter_kit.migrations import upgrade_to_head
from onematter_kit.nul_guard import NulByteGuard
from onematter_kit.observability import RequestContextMiddleware, ServiceMetrics, configure_logging
from onematter_kit.outbox import OutboxRelay
from onematter_kit.problems import install_problem_handlers, problem_response
from onematter_kit.settings import ServiceSettings
from onematter_kit.unit_of_work import SqlUnitOfWork

__all__ = ["ConsumerSpec", "ServiceRuntime", "create_service_app"]

log = logging.getLogger("onematter.runtime")

#: Seconds a successful Kafka probe keeps a service ready without asking the broker again.
KAFKA_READY_GRACE = 10.0

#: The service's unit of work (its repositories on the kit's SQL unit of work).
UowT = TypeVar("UowT", bound=SqlUnitOfWork, default=SqlUnitOfWork)


@dataclass(frozen=True)
class ConsumerSpec:
    """One consumer group of a service: ``<service>.<name>``."""

    name: str
    handlers: dict[str, EventHandler]
    topics: Collection[str] = ()
    pattern: str | None = None


@dataclass
class ServiceRuntime(Generic[UowT]):
    """A service's process: settings, clock, engine, outbox relay, consumers and workers.

    ``uow()`` opens nothing yet: it returns a new unit of work of ``uow_class`` (``UowT``), which the
    caller enters with ``async with``. ``start()`` migrates and starts the workers; ``stop()`` returns
    within about ``settings.kafka_stop_timeout`` + 1 s, even when Kafka does not answer.
    """

    settings: ServiceSettings
    migrations: Path
    #: Topics this service produces to or consumes from; created at start-up if missing.
    topics: Sequence[str] = ()
    consumers: Sequence[ConsumerSpec] = ()
    # mypy cannot see that this default is UowT's own default (SqlUnitOfWork), hence the ignore.
    uow_class: type[UowT] = SqlUnitOfWork  # type: ignore[assignment]
    #: Extra periodic or background jobs: coroutine functions of the runtime, run until cancelled.
    workers: Sequence[Callable[[ServiceRuntime[UowT]], Coroutine[Any, Any, object]]] = ()
    #: Jobs every replica runs, also one started with ``RUN_WORKERS=false``: keeping a process's own
    #: in-memory copy of shared state current (e.g. acceptance's calendar), which no other replica can do.
    replica_jobs: Sequence[Callable[[ServiceRuntime[UowT]], Coroutine[Any, Any, object]]] = ()
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        #: The one clock of this process; handlers and workers take "now" and "today" (China) from it.
        self.clock = self.settings.build_clock()
        faults.arm(self.settings.fault_inject)  # tests only (refused in production): a crash on cue
        self.engine = create_engine(self.settings.database_url, pool_size=self.settings.database_pool_size)
        self.session_factory = create_session_factory(self.engine)
        self.metrics = ServiceMetrics(self.settings.service_name)
        self.relay = OutboxRelay(
            session_factory=self.session_factory,
            producer_factory=self._new_producer,
            poll_interval=self.settings.outbox_poll_seconds,
            stop_timeout=self.settings.kafka_stop_timeout,
        )
        self.consumer_instances = [
            IdempotentConsumer(
                name=f"{self.settings.kafka_topic_prefix}{self.settings.service_name}.{spec.name}",
                bootstrap_servers=self.settings,
                uow_factory=self.uow,
                handlers=spec.handlers,
                topics=spec.topics,
                pattern=spec.pattern,
                dead_letter=self._dead_letter,
                stop_timeout=self.settings.kafka_stop_timeout,
            )
            for spec in self.consumers
        ]
        self._tasks: list[asyncio.Task[Any]] = []
        self._kafka_ok_until = 0.0
        self._dlq_producer: Any = None

    def uow(self) -> UowT:
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
        if self.settings.kafka_allow_unauthenticated and not self.settings.is_development:
            log.warning("Kafka without authentication: KAFKA_ALLOW_UNAUTHENTICATED is set in production")
        await upgrade_to_head(self.migrations, self.settings.database_url)
        if self.settings.kafka_enabled and self.settings.run_workers:
            self._spawn("topics", self._ensure_topics_until_done())
            self._spawn("outbox-relay", self.relay.run())
            for consumer in self.consumer_instances:
                self._spawn(consumer.name, consumer.run())
        jobs = [*self.replica_jobs, *(self.workers if self.settings.run_workers else ())]
        for job in jobs:
            self._spawn(getattr(job, "__name__", "worker"), job(self))

    def _spawn(self, name: str, coroutine: Coroutine[Any, Any, object]) -> None:
        self._tasks.append(asyncio.create_task(coroutine, name=name))

    async def _ensure_topics_until_done(self) -> None:
        # Kafka may start after the service; topics are created as soon as it answers.
        await retry(
            lambda: ensure_topics(self.settings, self.topics),
            backoff=Backoff(initial=0.5, maximum=10),
            log=log,
            what="cannot create topics yet",
        )

    async def stop(self) -> None:
        """Cancel the workers, stop the Kafka clients and close the database pool, in bounded time.

        Each Kafka client gets ``settings.kafka_stop_timeout`` seconds (they stop concurrently, inside
        their cancelled workers); a worker still running a second after that is left behind and named in
        a warning, so a service always shuts down within its lifespan's wait.
        """
        bound = self.settings.kafka_stop_timeout
        for task in self._tasks:
            task.cancel()
        stopping = list(self._tasks)
        if self._dlq_producer is not None:
            dlq = stop_within(self._dlq_producer, seconds=bound, what="dead-letter producer")
            stopping.append(asyncio.create_task(dlq, name="dead-letter producer"))
        self._tasks.clear()
        self._dlq_producer = None
        if stopping:
            done, pending = await asyncio.wait(stopping, timeout=bound + 1)
            _report_failures(done)
            if pending:
                names = sorted(task.get_name() for task in pending)
                log.warning("workers did not stop in time; left behind", extra={"workers": names})
        await self.engine.dispose()

    async def readiness(self) -> dict[str, str]:
        """``{"database": "ok", "kafka": "ok"}`` or ``"unavailable: <error type>"`` per dependency.

        Both probes run at once, each bounded by 3 s. A Kafka answer counts for ``KAFKA_READY_GRACE``
        seconds: a fresh admin client fetches the metadata of every topic, which on a busy broker with
        thousands of topics can take seconds, and readiness must not flap with it.
        """
        probes: dict[str, Any] = {"database": ping(self.engine)}
        if self.settings.kafka_enabled and time.monotonic() >= self._kafka_ok_until:
            probes["kafka"] = kafka_ping(self.settings)
        results = await asyncio.gather(
            *(asyncio.wait_for(probe, timeout=3) for probe in probes.values()), return_exceptions=True
        )
        checks = {
            name: f"unavailable: {type(result).__name__}" if isinstance(result, BaseException) else "ok"
            for name, result in zip(probes, results, strict=True)
        }
        if checks.get("kafka") == "ok":
            self._kafka_ok_until = time.monotonic() + KAFKA_READY_GRACE
        if self.settings.kafka_enabled and "kafka" not in checks:
            checks["kafka"] = "ok"
        return checks


def _report_failures(tasks: Collection[asyncio.Task[Any]]) -> None:
    """Log workers that had ended with an error before they were stopped (and mark it retrieved)."""
    for task in tasks:
        if not task.cancelled() and (error := task.exception()) is not None:
            log.warning("worker had failed", extra={"worker": task.get_name(), "error": type(error).__name__})


def _health_router(runtime: ServiceRuntime[Any]) -> APIRouter:
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
    runtime: ServiceRuntime[Any], *, title: str, routers: Sequence[APIRouter], version: str = "1.0.0"
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
