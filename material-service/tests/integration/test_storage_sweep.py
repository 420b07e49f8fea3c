"""The storage sweep against PostgreSQL (issue 19): a blob file without a ``material_blobs`` row is removed
once older than the grace period; a blob with its row never is; and every replica sweeps at start-up."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from onematter_clock import system_now
from onematter_material.config import MaterialSettings
from onematter_material.entrypoints.app import create_app
from onematter_material.service_layer.storage_sweep import SweepStorage, sweep_storage
from onematter_testkit import wait_for

from .conftest import SHUTDOWN_TIMEOUT
from .helpers import applicant, pdf_bytes, upload

pytestmark = pytest.mark.integration

HOUR = timedelta(hours=1)


def _blob_file(root: Path, data: bytes, *, age: timedelta) -> Path:
    """A blob file at its content address with the given age, as a crash before its row would leave it."""
    sha = hashlib.sha256(data).hexdigest()
    path = root / sha[:2] / sha[2:4] / sha
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(data)
    stamp = (system_now() - age).timestamp()  # file times are the system's
    os.utime(path, (stamp, stamp))
    return path


async def test_an_old_orphan_goes_while_a_young_orphan_and_an_old_referenced_blob_stay(
    app: FastAPI, client: httpx.AsyncClient, settings: MaterialSettings
) -> None:
    root, stored = settings.material_storage_dir, pdf_bytes()
    assert (await upload(client, applicant(), stored)).status_code == 201
    referenced = _blob_file(root, stored, age=2 * HOUR)
    old_orphan = _blob_file(root, pdf_bytes(), age=2 * HOUR)
    young_orphan = _blob_file(root, pdf_bytes(), age=HOUR / 2)
    runtime = app.state.runtime

    result = await sweep_storage(
        SweepStorage(now=system_now(), grace=HOUR), runtime.uow, runtime.extras["blob_store"]
    )

    assert result.orphan_blobs == 1
    assert not old_orphan.exists() and young_orphan.exists()
    assert referenced.read_bytes() == stored


@pytest.fixture
async def started_with_no_grace(
    settings: MaterialSettings, acceptance_transport: httpx.MockTransport
) -> AsyncIterator[tuple[Path, Path]]:
    """An orphan a crash left, then the service started over it with a grace period of 0 s."""
    orphan = _blob_file(settings.material_storage_dir, pdf_bytes(), age=timedelta(seconds=5))
    partial = settings.material_storage_dir / "tmp" / "upload-crashed"
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(b"partial")
    no_grace = settings.model_copy(update={"material_orphan_grace_seconds": 0.0})
    application = create_app(no_grace, acceptance_transport=acceptance_transport)
    async with LifespanManager(application, startup_timeout=60, shutdown_timeout=SHUTDOWN_TIMEOUT):
        yield orphan, partial


async def test_each_replica_sweeps_orphans_at_start_up(started_with_no_grace: tuple[Path, Path]) -> None:
    orphan, partial = started_with_no_grace

    async def swept() -> bool:  # the sweep is a background job: wait for its outcome
        return not orphan.exists()

    await wait_for(swept, timeout=30, interval=0.1, message="the start-up sweep of the orphan blob")
    assert not partial.exists()
