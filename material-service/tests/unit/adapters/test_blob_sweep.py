"""The orphan sweep's file side: which blob files are old, and removing one without losing a reused one."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from onematter_material.adapters.blob_sweep import aged_blobs, remove_if_aged, shards
from onematter_material.adapters.blobstore import LocalBlobStore

NOW = 1_780_000_000.0  # a POSIX instant (2026-05-28); file times are set relative to it
HOUR = 3600.0


def _blob(store: LocalBlobStore, data: bytes, *, mtime: float) -> str:
    sha = hashlib.sha256(data).hexdigest()
    path = store.local_path(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))
    return sha


async def test_only_blob_files_older_than_the_cutoff_are_listed_shard_by_shard(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    old = _blob(store, b"old", mtime=NOW - 2 * HOUR)
    young = _blob(store, b"young", mtime=NOW - 0.5 * HOUR)
    (tmp_path / "tmp").mkdir()
    (tmp_path / "tmp" / "upload-x").write_bytes(b"partial")  # not a blob, never listed

    found = [
        sha
        for shard in await shards(tmp_path)
        for sha in await aged_blobs(tmp_path, shard, before=NOW - HOUR)
    ]

    assert found == [old]
    assert sorted(await shards(tmp_path)) == sorted({old[:2], young[:2]})


async def test_an_old_blob_file_is_removed_and_leaves_nothing_in_the_temporary_directory(
    tmp_path: Path,
) -> None:
    store = LocalBlobStore(tmp_path)
    sha = _blob(store, b"orphan", mtime=NOW - 2 * HOUR)

    assert await remove_if_aged(store.local_path(sha), store.temp_dir, before=NOW - HOUR)

    assert not store.local_path(sha).exists()
    assert list(store.temp_dir.iterdir()) == []


async def test_a_blob_refreshed_since_it_was_listed_is_kept(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    sha = _blob(store, b"reused", mtime=NOW - 2 * HOUR)
    listed = await aged_blobs(tmp_path, sha[:2], before=NOW - HOUR)
    os.utime(store.local_path(sha), (NOW, NOW))  # an upload of the same bytes, before its row commits

    removed = await remove_if_aged(store.local_path(sha), store.temp_dir, before=NOW - HOUR)

    assert listed == [sha] and not removed
    assert store.local_path(sha).read_bytes() == b"reused"
    assert list(store.temp_dir.iterdir()) == []


async def test_a_blob_already_gone_is_not_counted(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    sha = hashlib.sha256(b"gone").hexdigest()

    assert not await remove_if_aged(store.local_path(sha), store.temp_dir, before=NOW)
