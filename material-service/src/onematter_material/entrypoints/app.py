"""Composition root of the material service: ``create_app(settings)``; nothing is built at import time."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path

import httpx
from fastapi import FastAPI
from onematter_clock import Clock, system_now
from onematter_events import Stream, task_topic_pattern, topic_name
from onematter_events.applications import (
    APPLICATION_SUPPLEMENT_RECEIVED,
    TASK_ASSIGNED,
    TASK_CANCELLED,
    TASK_COMPLETED,
)
from onematter_events.delegations import DELEGATION_USED
from onematter_kit.backoff import Backoff, run_forever
from onematter_kit.runtime import ConsumerSpec, ServiceRuntime, create_service_app

from onematter_material.adapters.blobstore import LocalBlobStore
from onematter_material.adapters.delegation_client import DelegationClient
from onematter_material.adapters.storage import probe_writable, remove_orphaned_uploads
from onematter_material.config import MaterialSettings
from onematter_material.entrypoints import licences, materials
from onematter_material.service_layer.delegations import on_delegation_used
from onematter_material.service_layer.grants import (
    on_supplement_received,
    on_task_assigned,
    on_task_cancelled,
    on_task_completed,
)
from onematter_material.service_layer.storage_sweep import SweepStorage, sweep_storage
from onematter_material.service_layer.unit_of_work import SqlMaterialUnitOfWork

__all__ = ["MIGRATIONS", "create_app"]

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

log = logging.getLogger("onematter.material.storage")


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
        handlers={
            APPLICATION_SUPPLEMENT_RECEIVED: on_supplement_received,
            DELEGATION_USED: on_delegation_used,  # 帮办代办 reads and submissions, into the access log
        },
    )
    return [tasks, supplements]


async def sweep_storage_forever(runtime: ServiceRuntime[SqlMaterialUnitOfWork]) -> None:
    """The storage sweep (partial uploads and orphan blobs) now and every ``MATERIAL_SWEEP_INTERVAL_SECONDS``,
    until cancelled; a replica job (see ``create_app``)."""
    settings, store = runtime.settings, runtime.extras["blob_store"]
    assert isinstance(settings, MaterialSettings)
    grace = timedelta(seconds=settings.material_orphan_grace_seconds)

    async def step() -> None:
        await sweep_storage(SweepStorage(now=system_now(), grace=grace), runtime.uow, store)

    every, backoff = settings.material_sweep_interval_seconds, Backoff(initial=5, maximum=300)
    await run_forever(step, every=every, backoff=backoff, log=log, what="storage sweep failed")


class MaterialRuntime(ServiceRuntime[SqlMaterialUnitOfWork]):
    """The kit's runtime; sweeps orphaned partial uploads before it serves (the orphan blobs follow in the
    background, in :func:`sweep_storage_forever`), reports the blob store's directory
    in readiness (``storage``) and closes the delegation client."""

    async def start(self) -> None:
        await super().start()
        assert isinstance(self.settings, MaterialSettings)
        grace = timedelta(seconds=self.settings.material_orphan_grace_seconds)
        await remove_orphaned_uploads(self._blobs.temp_dir, now=system_now(), older_than=grace)

    async def readiness(self) -> dict[str, str]:
        checks = await super().readiness()
        try:
            await asyncio.wait_for(probe_writable(self._blobs.temp_dir), timeout=3)  # a hung mount
        except OSError as exc:
            checks["storage"] = f"unavailable: {type(exc).__name__}"
        else:
            checks["storage"] = "ok"
        return checks

    @property
    def _blobs(self) -> LocalBlobStore:
        store: LocalBlobStore = self.extras["blob_store"]
        return store

    async def stop(self) -> None:
        await super().stop()
        await self.extras["delegations"].aclose()


def _delegation_client(
    settings: MaterialSettings, transport: httpx.AsyncBaseTransport | None
) -> DelegationClient:
    signer = settings.internal_signer()
    return DelegationClient(
        base_url=settings.acceptance_url,
        signer=signer,
        timeout=settings.acceptance_timeout_seconds,
        transport=transport,
    )


def create_app(
    settings: MaterialSettings | None = None,
    *,
    clock: Clock | None = None,
    acceptance_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """The service's app; ``clock`` replaces the one the settings build (tests pin time with it);
    ``acceptance_transport`` lets tests stand in for the acceptance service (an ``httpx.MockTransport``)."""
    settings = settings or MaterialSettings()
    prefix = settings.kafka_topic_prefix
    runtime = MaterialRuntime(
        settings=settings,
        migrations=MIGRATIONS,
        uow_class=SqlMaterialUnitOfWork,
        topics=[topic_name(Stream.materials, prefix), topic_name(Stream.applications, prefix)],
        consumers=_consumers(prefix),
        # Every replica sweeps, RUN_WORKERS=false ones too: a replica with its own (unshared) directory has
        # no one else to sweep it, and the sweep is safe to run on several replicas at once.
        replica_jobs=[sweep_storage_forever],
    )
    if clock is not None:
        runtime.clock = clock
    runtime.extras["blob_store"] = LocalBlobStore(settings.material_storage_dir)
    runtime.extras["delegations"] = _delegation_client(settings, acceptance_transport)
    return create_service_app(
        runtime, title="OneMatter material service", routers=[materials.router, licences.router]
    )
