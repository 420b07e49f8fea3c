"""The local blob store: content addressing, atomic publication, no leftovers."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
from onematter_material.adapters.blobstore import LocalBlobStore


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


async def _write(store: LocalBlobStore, data: bytes):  # type: ignore[no-untyped-def]
    writer = await store.open_writer()
    await writer.write(data[:3])
    await writer.write(data[3:])
    await writer.close()
    return writer


async def test_the_same_bytes_land_on_one_content_address(tmp_path: Path) -> None:
    store, data = LocalBlobStore(tmp_path), b"%PDF-same bytes"
    for _ in range(2):
        writer = await _write(store, data)
        await writer.publish()
        await writer.discard()
    sha = hashlib.sha256(data).hexdigest()
    assert writer.sha256 == sha and writer.size == len(data) and writer.head == data
    assert store.local_path(sha).read_bytes() == data
    assert _files(tmp_path) == [store.local_path(sha)]


async def test_a_discarded_write_leaves_nothing_behind(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    writer = await _write(store, b"abandoned")
    await writer.discard()
    assert not _files(tmp_path)
    assert not await store.exists(hashlib.sha256(b"abandoned").hexdigest())


def test_only_a_sha256_digest_is_an_address(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        LocalBlobStore(tmp_path).local_path("../../etc/passwd")


async def test_an_upload_that_finds_its_blob_already_stored_refreshes_the_blobs_mtime(tmp_path: Path) -> None:
    # issue 19: the orphan sweep removes only old files, so a row about to reference a reused blob must
    # make it young again before it commits.
    store, data = LocalBlobStore(tmp_path), b"%PDF-reused bytes"
    first = await _write(store, data)
    await first.publish()
    blob = store.local_path(hashlib.sha256(data).hexdigest())
    two_hours_ago = time.time() - 2 * 3600
    os.utime(blob, (two_hours_ago, two_hours_ago))
    inode = blob.stat().st_ino

    again = await _write(store, data)
    await again.publish()
    await again.discard()

    assert blob.stat().st_mtime > time.time() - 60
    assert blob.stat().st_ino == inode  # skipped, not rewritten
    assert _files(tmp_path) == [blob]
