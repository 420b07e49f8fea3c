"""The blob store's directory as a dependency (issue 19): an unwritable upload directory makes ``/readyz``
503 and an upload a clear "storage unavailable" problem (not "database unavailable"); partial uploads a
crash left behind are removed at start-up.

The tests run as any user, root included (which ignores permission bits), so "unwritable" is made by
putting a plain file where the temporary directory must be — every write below it fails with an OSError.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from onematter_clock import system_now
from onematter_material.config import MaterialSettings
from onematter_material.entrypoints.app import create_app

from .conftest import SHUTDOWN_TIMEOUT
from .helpers import applicant, pdf_bytes, upload

pytestmark = pytest.mark.integration

STORAGE_PROBLEM = "https://onematter.gov.cn/problems/storage-unavailable"


def _break(temp_dir: Path) -> None:
    shutil.rmtree(temp_dir, ignore_errors=True)
    temp_dir.parent.mkdir(parents=True, exist_ok=True)
    temp_dir.write_text("not a directory")


async def test_an_unwritable_upload_directory_makes_readyz_503_naming_the_storage(
    client: httpx.AsyncClient, settings: MaterialSettings
) -> None:
    # The storage check alone: on a loaded machine Kafka's probe may time out on its own.
    assert (await client.get("/readyz")).json()["checks"]["storage"] == "ok"
    _break(settings.material_storage_dir / "tmp")

    response = await client.get("/readyz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["storage"].startswith("unavailable") and checks["database"] == "ok"


async def test_an_upload_to_an_unwritable_directory_is_a_storage_problem_not_a_database_one(
    client: httpx.AsyncClient, settings: MaterialSettings
) -> None:
    _break(settings.material_storage_dir / "tmp")

    response = await upload(client, applicant(), pdf_bytes())

    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == STORAGE_PROBLEM
    assert "database" not in response.text.lower()
    assert str(settings.material_storage_dir) not in response.text  # no server paths in answers


@pytest.fixture
async def started_over_leftovers(
    settings: MaterialSettings, acceptance_transport: httpx.MockTransport
) -> AsyncIterator[Path]:
    """The temporary directory as a crash left it, then the service started over it."""
    temp_dir = settings.material_storage_dir / "tmp"
    temp_dir.mkdir(parents=True)
    two_hours_ago = system_now().timestamp() - 2 * 3600  # file times are the system's
    for name in ("upload-crashed", "upload-in-flight", "probe-crashed", "notes.txt"):
        (temp_dir / name).write_bytes(b"partial")
    for name in ("upload-crashed", "probe-crashed", "notes.txt"):
        os.utime(temp_dir / name, (two_hours_ago, two_hours_ago))
    application = create_app(settings, acceptance_transport=acceptance_transport)
    async with LifespanManager(application, startup_timeout=60, shutdown_timeout=SHUTDOWN_TIMEOUT):
        yield temp_dir


async def test_partial_uploads_older_than_an_hour_are_removed_at_start_up(started_over_leftovers) -> None:
    left = sorted(path.name for path in started_over_leftovers.iterdir())

    # The fresh one may be another replica's upload in progress; notes.txt is not ours to remove.
    assert left == ["notes.txt", "upload-in-flight"]
