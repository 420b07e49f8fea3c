"""The storage sweep on a fake unit of work and a real blob directory: what is old and unreferenced goes,
everything else stays (issue 19)."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from onematter_material.adapters.blobstore import LocalBlobStore
from onematter_material.service_layer.storage_sweep import SweepResult, SweepStorage, sweep_storage

from ..fakes import DEFAULT_NOW, FakeMaterialUnitOfWork

NOW = datetime(2026, 5, 6, 2, 0, tzinfo=UTC)
GRACE = timedelta(hours=1)


def _age(path: Path, age: timedelta) -> None:
    stamp = (NOW - age).timestamp()
    os.utime(path, (stamp, stamp))


def _blob(store: LocalBlobStore, data: bytes, *, age: timedelta) -> Path:
    path = store.local_path(hashlib.sha256(data).hexdigest())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    _age(path, age)
    return path


async def _sweep(store: LocalBlobStore, uow: FakeMaterialUnitOfWork) -> SweepResult:
    return await sweep_storage(SweepStorage(now=NOW, grace=GRACE), lambda: uow, store)


async def test_an_orphan_blob_older_than_the_grace_period_is_swept_and_a_young_one_kept(
    tmp_path: Path,
) -> None:
    store, uow = LocalBlobStore(tmp_path), FakeMaterialUnitOfWork()
    old = _blob(store, b"crashed long ago", age=timedelta(minutes=61))
    young = _blob(store, b"an upload in flight", age=timedelta(minutes=59))

    result = await _sweep(store, uow)

    assert result == SweepResult(partial_uploads=0, orphan_blobs=1)
    assert not old.exists() and young.exists()


async def test_a_referenced_blob_is_never_swept_however_old(tmp_path: Path) -> None:
    store, uow = LocalBlobStore(tmp_path), FakeMaterialUnitOfWork()
    kept = _blob(store, b"a certificate", age=timedelta(days=400))
    await uow.blobs.upsert(sha256=kept.name, size=13, media_type="application/pdf", at=DEFAULT_NOW)

    result = await _sweep(store, uow)

    assert result.orphan_blobs == 0 and kept.read_bytes() == b"a certificate"


async def test_a_partial_upload_younger_than_the_grace_period_is_kept_and_an_old_one_swept(
    tmp_path: Path,
) -> None:
    store, uow = LocalBlobStore(tmp_path), FakeMaterialUnitOfWork()
    store.temp_dir.mkdir(parents=True)
    for name, age in (
        ("upload-crashed", timedelta(minutes=61)),
        ("upload-other-replica", timedelta(minutes=59)),
    ):
        (store.temp_dir / name).write_bytes(b"partial")
        _age(store.temp_dir / name, age)

    result = await _sweep(store, uow)

    assert result == SweepResult(partial_uploads=1, orphan_blobs=0)
    assert [p.name for p in store.temp_dir.iterdir()] == ["upload-other-replica"]


async def test_a_grace_period_of_zero_sweeps_every_orphan(tmp_path: Path) -> None:
    store, uow = LocalBlobStore(tmp_path), FakeMaterialUnitOfWork()
    just_written = _blob(store, b"crashed a moment ago", age=timedelta(seconds=1))

    result = await sweep_storage(SweepStorage(now=NOW, grace=timedelta(0)), lambda: uow, store)

    assert result.orphan_blobs == 1 and not just_written.exists()


async def test_a_blob_a_crashed_sweep_left_parked_goes_back_if_a_row_references_it(tmp_path: Path) -> None:
    store, uow = LocalBlobStore(tmp_path), FakeMaterialUnitOfWork()
    referenced, orphan = hashlib.sha256(b"kept").hexdigest(), hashlib.sha256(b"lost").hexdigest()
    await uow.blobs.upsert(sha256=referenced, size=4, media_type="application/pdf", at=DEFAULT_NOW)
    store.temp_dir.mkdir(parents=True)
    for sha, data in ((referenced, b"kept"), (orphan, b"lost")):
        parked = store.temp_dir / f"sweep-{sha}-0a1b2c3d"
        parked.write_bytes(data)
        _age(parked, timedelta(hours=2))

    result = await _sweep(store, uow)

    assert store.local_path(referenced).read_bytes() == b"kept"
    assert not store.local_path(orphan).exists()
    assert result.partial_uploads == 1 and list(store.temp_dir.iterdir()) == []
