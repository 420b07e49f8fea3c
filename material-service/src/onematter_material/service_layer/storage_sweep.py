"""The storage sweep (issue 19): partial uploads and blob files no row references, once they are old.

A crash between publishing an upload's blob and committing its rows leaves a file no row references;
a crash mid-upload leaves a partial file. Both are removed here, but only when their mtime is older than
the grace period (``MATERIAL_ORPHAN_GRACE_SECONDS``): an upload in flight — on this replica or another
sharing the directory — has a young file, and a de-duplicated upload refreshes the existing blob's mtime
before it commits (``LocalBlobWriter.publish``). Safe to run on several replicas at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from onematter_material.adapters.blob_sweep import (
    aged_blobs,
    parked_blobs,
    remove_if_aged,
    restore_parked,
    shards,
)
from onematter_material.adapters.blobstore import LocalBlobStore
from onematter_material.adapters.storage import remove_orphaned_uploads
from onematter_material.service_layer.unit_of_work import MaterialUnitOfWork

__all__ = ["SweepResult", "SweepStorage", "sweep_storage"]

log = logging.getLogger("onematter.material.storage")


@dataclass(frozen=True, kw_only=True)
class SweepStorage:
    """``now``: the system time (file times are the filesystem's, not the service clock's)."""

    now: datetime
    grace: timedelta


@dataclass(frozen=True)
class SweepResult:
    partial_uploads: int
    orphan_blobs: int


async def sweep_storage(
    cmd: SweepStorage, uow_factory: Callable[[], MaterialUnitOfWork], store: LocalBlobStore
) -> SweepResult:
    """Remove old partial uploads, then old blob files without a blob row, one shard (1/256) at a time.

    Each shard's digests are looked up in a short unit of work of its own: one long transaction would
    hold back the oldest-running-transaction horizon the outbox relay reads below."""
    before = (cmd.now - cmd.grace).timestamp()
    await _restore_referenced_parked(uow_factory, store)
    partial = await remove_orphaned_uploads(store.temp_dir, now=cmd.now, older_than=cmd.grace)
    orphans = 0
    for shard in await shards(store.root):
        aged = await aged_blobs(store.root, shard, before=before)
        if not aged:
            continue
        async with uow_factory() as uow:
            referenced = await uow.blobs.existing(aged)
        for sha256 in sorted(set(aged) - referenced):
            orphans += await remove_if_aged(store.local_path(sha256), store.temp_dir, before=before)
    if orphans:
        log.info("removed orphan blobs", extra={"count": orphans})
    return SweepResult(partial_uploads=partial, orphan_blobs=orphans)


async def _restore_referenced_parked(
    uow_factory: Callable[[], MaterialUnitOfWork], store: LocalBlobStore
) -> None:
    """Put back blobs a sweep that crashed mid-removal left parked while a row came to reference them;
    the unreferenced rest is removed with the partial uploads once old."""
    parked = await parked_blobs(store.temp_dir)
    if not parked:
        return
    async with uow_factory() as uow:
        referenced = await uow.blobs.existing(parked)
    for sha256 in referenced:
        for path in parked[sha256]:
            await restore_parked(path, store.local_path(sha256))
