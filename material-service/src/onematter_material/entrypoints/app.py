"""Composition root of the material service: ``create_app(settings)``; nothing is built at import time."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from onematter_clock import Clock
from onematter_events import Stream, task_topic_pattern, topic_name
from onematter_events.applications import (
    APPLICATION_SUPPLEMENT_RECEIVED,
    TASK_ASSIGNED,
    TASK_CANCELLED,
    TASK_COMPLETED,
)
from onematter_kit.runtime import ConsumerSpec, ServiceRuntime, create_service_app

from onematter_material.adapters.blobstore import LocalBlobStore
from onematter_material.config import MaterialSettings
from onematter_material.entrypoints import licences, materials
from onematter_material.service_layer.grants import (
    on_supplement_received,
    on_task_assigned,
    on_task_cancelled,
    on_task_completed,
)
from onematter_material.service_layer.unit_of_work import SqlMaterialUnitOfWork

__all__ = ["MIGRATIONS", "create_app"]

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _consumers(prefix: str) -> list[ConsumerSpec]:
    # Every department's task topic: grants follow task.assigned and end with task.completed/cancelled.
    tasks = ConsumerSpec(
        name="tasks",
        pattern=task_topic_pattern(prefix),
        handlers={
            TASK_ASSIGNED: on_task_assigned,
            TASK_COMPLETED: on_task_completed,
            TASK_CANCELLED: on_task_cancelled,
        },
    )
    # 补正: materials handed in later are granted to the resumed tasks' departments.
    supplements = ConsumerSpec(
        name="applications",
        topics=[topic_name(Stream.applications, prefix)],
        handlers={APPLICATION_SUPPLEMENT_RECEIVED: on_supplement_received},
    )
    return [tasks, supplements]


def create_app(settings: MaterialSettings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """The service's app; ``clock`` replaces the one the settings build (tests pin time with it)."""
    settings = settings or MaterialSettings()
    prefix = settings.kafka_topic_prefix
    runtime = ServiceRuntime(
        settings=settings,
        migrations=MIGRATIONS,
        uow_class=SqlMaterialUnitOfWork,
        topics=[topic_name(Stream.materials, prefix), topic_name(Stream.applications, prefix)],
        consumers=_consumers(prefix),
    )
    if clock is not None:
        runtime.clock = clock
    runtime.extras["blob_store"] = LocalBlobStore(settings.material_storage_dir)
    return create_service_app(
        runtime, title="OneMatter material service", routers=[materials.router, licences.router]
    )
