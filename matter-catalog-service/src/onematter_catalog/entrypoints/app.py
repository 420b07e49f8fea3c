"""Composition root of the matter-catalog service: ``create_app(settings)``; nothing built at import time."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from onematter_events import Stream, topic_name
from onematter_kit.runtime import ServiceRuntime, create_service_app

from onematter_catalog.config import CatalogSettings
from onematter_catalog.entrypoints import admin, public
from onematter_catalog.seed.loader import load_seed
from onematter_catalog.service_layer.handlers import seed_if_empty
from onematter_catalog.service_layer.topics import department_topics_worker
from onematter_catalog.service_layer.unit_of_work import CatalogUnitOfWork

__all__ = ["MIGRATIONS", "CatalogRuntime", "create_app"]

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class CatalogRuntime(ServiceRuntime[CatalogUnitOfWork]):
    """The kit's runtime, plus the first-start seed once the migrations ran (before serving requests)."""

    async def start(self) -> None:
        await super().start()
        if getattr(self.settings, "seed_on_start", False):
            await seed_if_empty(load_seed(), uow_factory=self.uow)


def create_app(settings: CatalogSettings | None = None) -> FastAPI:
    settings = settings or CatalogSettings()
    runtime = CatalogRuntime(
        settings=settings,
        migrations=MIGRATIONS,
        uow_class=CatalogUnitOfWork,
        topics=[topic_name(Stream.catalog, settings.kafka_topic_prefix)],
        workers=[department_topics_worker],
    )
    return create_service_app(
        runtime, title="OneMatter matter-catalog service", routers=[public.router, admin.router]
    )
