"""The local blob store: content addressing, atomic publication, no leftovers."""

from __future__ import annotations

import hashlib
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
