"""Composition root of the acceptance service: ``create_app(settings)``; nothing is built at import time."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from onematter_events import Stream, topic_name
from onematter_kit.identity import InternalTokenSigner
from onematter_kit.kafka import ensure_topics
from onematter_kit.runtime import ConsumerSpec, ServiceRuntime, create_service_app

from onematter_acceptance.adapters.material_client import MaterialClient
from onematter_acceptance.adapters.repository import AcceptanceUnitOfWork
from onematter_acceptance.config import AcceptanceSettings
from onematter_acceptance.domain.calendar import WorkCalendar, load_operator_calendar
from onematter_acceptance.entrypoints.routes import applications, supervision, tasks
from onematter_acceptance.service_layer.collaborators import Collaborators
from onematter_acceptance.service_layer.matters import matter_handlers
from onematter_acceptance.service_layer.overdue import overdue_worker

__all__ = ["MIGRATIONS", "create_app"]

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


@dataclass
class AcceptanceRuntime(ServiceRuntime):
    """Also closes the material client the collaborators own."""

    async def stop(self) -> None:
        await super().stop()
        await self.extras["collaborators"].materials.aclose()


def create_app(
    settings: AcceptanceSettings | None = None, *, material_transport: httpx.AsyncBaseTransport | None = None
) -> FastAPI:
    """``material_transport`` lets tests stand in for the material service (an ``httpx.MockTransport``)."""
    settings = settings or AcceptanceSettings()
    prefix = settings.kafka_topic_prefix

    async def create_topics(names: list[str]) -> None:
        await ensure_topics(settings.kafka_bootstrap_servers, names)

    async def run_overdue(runtime: Any) -> None:
        await overdue_worker(
            runtime.extras["collaborators"],
            interval=settings.overdue_check_interval_seconds,
            calendar_file=settings.work_calendar_file,
        )

    runtime = AcceptanceRuntime(
        settings=settings,
        migrations=MIGRATIONS,
        uow_class=AcceptanceUnitOfWork,
        topics=[topic_name(Stream.applications, prefix), topic_name(Stream.catalog, prefix)],
        consumers=[
            ConsumerSpec(
                "matters",
                matter_handlers(topic_prefix=prefix, create_topics=create_topics),
                topics=[topic_name(Stream.catalog, prefix)],
            )
        ],
        workers=[run_overdue],
    )
    signer = InternalTokenSigner(
        settings.internal_token_secret,
        issuer="onematter-acceptance",
        ttl_seconds=settings.internal_token_ttl_seconds,
    )
    materials = MaterialClient(
        base_url=settings.material_url,
        signer=signer,
        timeout=settings.material_timeout_seconds,
        transport=material_transport,
    )
    calendar = WorkCalendar(load_operator_calendar(settings.work_calendar_file))
    runtime.extras["collaborators"] = Collaborators(
        uow=runtime.uow,
        materials=materials,  # type: ignore[arg-type]
        calendar=calendar,
    )
    return create_service_app(
        runtime,
        title="OneMatter acceptance service",
        routers=[applications.router, tasks.router, supervision.router],
    )
