"""Composition root of the acceptance service: ``create_app(settings)``; nothing is built at import time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from onematter_events import Stream, topic_name
from onematter_kit.kafka import ensure_topics
from onematter_kit.problems import ProblemDetails, problem_response
from onematter_kit.runtime import ConsumerSpec, ServiceRuntime, create_service_app

from onematter_acceptance.adapters.calendar_file import CalendarFile
from onematter_acceptance.adapters.catalog_client import CatalogClient
from onematter_acceptance.adapters.material_client import MaterialClient
from onematter_acceptance.config import AcceptanceSettings
from onematter_acceptance.domain.errors import NotPossibleNow
from onematter_acceptance.entrypoints.routes import applications, calendar, delegations, supervision, tasks
from onematter_acceptance.service_layer.calendar_sync import calendar_refresher
from onematter_acceptance.service_layer.collaborators import Collaborators
from onematter_acceptance.service_layer.matters import matter_handlers
from onematter_acceptance.service_layer.overdue import overdue_worker
from onematter_acceptance.service_layer.unit_of_work import SqlAcceptanceUnitOfWork

__all__ = ["MIGRATIONS", "AcceptanceRuntime", "create_app"]

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class AcceptanceRuntime(ServiceRuntime[SqlAcceptanceUnitOfWork]):
    """The kit's runtime; also closes the material and catalog clients the collaborators own."""

    async def stop(self) -> None:
        await super().stop()
        collaborators = self.extras["collaborators"]
        await collaborators.materials.aclose()
        await collaborators.catalog.aclose()


async def _not_possible_now(request: Request, exc: Exception) -> ProblemDetails:
    """A rule refused the action in the current state: 409, like the kit's ``ConflictError``."""
    return problem_response(409, detail=str(exc), instance=request.url.path)


def create_app(
    settings: AcceptanceSettings | None = None,
    *,
    material_transport: httpx.AsyncBaseTransport | None = None,
    catalog_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """``material_transport`` and ``catalog_transport`` let tests stand in for the material service and the
    catalog (an ``httpx.MockTransport``)."""
    settings = settings or AcceptanceSettings()
    calendar_file = CalendarFile(settings.work_calendar_file, rule=settings.non_working_day_rule)
    runtime = _runtime(settings, calendar_file)
    runtime.extras["collaborators"] = Collaborators(
        materials=_material_client(settings, material_transport),
        calendar=calendar_file.calendar(),
        catalog=_catalog_client(settings, catalog_transport),
    )
    app = create_service_app(
        runtime,
        title="OneMatter acceptance service",
        routers=[applications.router, tasks.router, supervision.router, delegations.router, calendar.router],
    )
    app.add_exception_handler(NotPossibleNow, _not_possible_now)
    return app


def _topic_creator(settings: AcceptanceSettings) -> Callable[[list[str]], Awaitable[None]]:
    """Creates department task topics with the service's own Kafka login (the broker refuses bare clients)."""

    async def create_topics(names: list[str]) -> None:
        await ensure_topics(settings, names)

    return create_topics


def _runtime(settings: AcceptanceSettings, calendar_file: CalendarFile) -> AcceptanceRuntime:
    """The runtime with the catalog consumer and the overdue worker (it reloads ``calendar_file``)."""
    prefix = settings.kafka_topic_prefix
    create_topics = _topic_creator(settings)

    async def run_overdue(runtime: ServiceRuntime[SqlAcceptanceUnitOfWork]) -> None:
        collaborators = runtime.extras["collaborators"]
        interval = settings.overdue_check_interval_seconds
        # runtime.uow builds a SqlAcceptanceUnitOfWork (uow_class below)
        await overdue_worker(
            runtime.uow,
            collaborators,
            interval=interval,
            calendar_file=calendar_file,
            reminder_days=settings.supplement_reminder_working_days,
        )

    async def refresh_calendar(runtime: ServiceRuntime[SqlAcceptanceUnitOfWork]) -> None:
        interval = settings.calendar_refresh_interval_seconds
        await calendar_refresher(runtime.uow, runtime.extras["collaborators"], interval=interval)

    catalog = topic_name(Stream.catalog, prefix)
    matters = matter_handlers(topic_prefix=prefix, create_topics=create_topics)
    return AcceptanceRuntime(
        settings=settings,
        migrations=MIGRATIONS,
        uow_class=SqlAcceptanceUnitOfWork,
        topics=[topic_name(Stream.applications, prefix), catalog],
        consumers=[ConsumerSpec("matters", matters, topics=[catalog])],
        workers=[run_overdue],
        replica_jobs=[refresh_calendar],
    )


def _catalog_client(
    settings: AcceptanceSettings, transport: httpx.AsyncBaseTransport | None
) -> CatalogClient:
    create_topics = _topic_creator(settings)
    signer = settings.internal_signer()
    return CatalogClient(
        base_url=settings.catalog_url,
        signer=signer,
        timeout=settings.catalog_timeout_seconds,
        transport=transport,
        create_topics=create_topics if settings.kafka_enabled else None,
        topic_prefix=settings.kafka_topic_prefix,
    )


def _material_client(
    settings: AcceptanceSettings, transport: httpx.AsyncBaseTransport | None
) -> MaterialClient:
    signer = settings.internal_signer()
    return MaterialClient(
        base_url=settings.material_url,
        signer=signer,
        timeout=settings.material_timeout_seconds,
        transport=transport,
    )
