"""The storage helpers alone: the orphan sweep's age rule and the problem an OSError becomes."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from onematter_material.adapters.storage import (
    StorageUnavailableError,
    probe_writable,
    remove_orphaned_uploads,
    storage_errors,
)

NOW = datetime(2026, 5, 6, 2, 0, tzinfo=UTC)


def _file(directory: Path, name: str, *, age: timedelta) -> None:
    path = directory / name
    path.write_bytes(b"partial")
    stamp = (NOW - age).timestamp()
    os.utime(path, (stamp, stamp))


def _names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


async def test_only_our_temporary_files_older_than_the_age_are_swept(tmp_path: Path) -> None:
    _file(tmp_path, "upload-old", age=timedelta(minutes=61))
    _file(tmp_path, "upload-young", age=timedelta(minutes=59))
    _file(tmp_path, "someone-elses", age=timedelta(days=3))

    removed = await remove_orphaned_uploads(tmp_path, now=NOW)

    assert removed == 1
    assert _names(tmp_path) == ["someone-elses", "upload-young"]


async def test_a_missing_or_blocked_temporary_directory_sweeps_nothing_and_raises_nothing(
    tmp_path: Path,
) -> None:
    (tmp_path / "blocked").write_text("a file where the directory should be")

    assert await remove_orphaned_uploads(tmp_path / "absent", now=NOW) == 0
    assert await remove_orphaned_uploads(tmp_path / "blocked", now=NOW) == 0


async def test_the_probe_leaves_nothing_behind_and_fails_where_a_file_blocks_the_directory(
    tmp_path: Path,
) -> None:
    await probe_writable(tmp_path / "tmp")
    assert _names(tmp_path / "tmp") == []

    (tmp_path / "blocked").write_text("a file")
    with pytest.raises(OSError):
        await probe_writable(tmp_path / "blocked")


def test_an_os_error_becomes_a_503_storage_problem_without_the_path() -> None:
    with pytest.raises(StorageUnavailableError) as raised, storage_errors():
        raise PermissionError(13, "Permission denied", "/srv/materials/tmp/upload-x")

    assert raised.value.status == 503 and raised.value.type.endswith("/storage-unavailable")
    assert "/srv" not in raised.value.detail and raised.value.extensions == {"error": "PermissionError"}
