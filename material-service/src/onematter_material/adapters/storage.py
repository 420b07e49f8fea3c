"""The blob store's directory as a dependency: can it be written, and what a crash left in it (issue 19).

An upload directory that cannot be written is the storage's fault, not the database's: ``/readyz`` says
``storage: unavailable: <error>`` (503) and an upload answers :class:`StorageUnavailableError`, a
problem+json 503 of its own type. Partial uploads (``upload-*`` temporary files) that a crashed process
left behind are removed at start-up and by the periodic storage sweep, once they are older than the
grace period (``MATERIAL_ORPHAN_GRACE_SECONDS``, default :data:`ORPHAN_AGE`): a replica sharing the
directory may be streaming an upload right now, and no upload takes that long (20 MiB at the slowest
client a service hall has still takes minutes).
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import anyio.to_thread
from onematter_kit.errors import ServiceUnavailableError

__all__ = [
    "ORPHAN_AGE",
    "StorageUnavailableError",
    "probe_writable",
    "remove_orphaned_uploads",
    "storage_errors",
]

log = logging.getLogger("onematter.material.storage")

#: Temporary upload files older than this are orphans of a crashed process.
ORPHAN_AGE = timedelta(hours=1)
#: Prefixes of the temporary files this service writes into ``<root>/tmp`` (uploads, write probes and
#: blobs the orphan sweep is removing — see ``blob_sweep.SWEEP_PREFIX``).
_TEMP_PREFIXES = ("upload-", "probe-", "sweep-")


class StorageUnavailableError(ServiceUnavailableError):
    """The material storage cannot be written (permissions, full disk, missing mount): 503, retry later."""

    slug, title = "storage-unavailable", "Material storage unavailable"

    def __init__(self, error: OSError) -> None:
        # The error's type only: its message carries the path, which is for the operator's log.
        super().__init__(
            "Files cannot be stored right now; nothing was saved. Retry later.",
            extensions={"error": type(error).__name__},
        )


@contextlib.contextmanager
def storage_errors() -> Iterator[None]:
    """Turn an ``OSError`` of the blob store into :class:`StorageUnavailableError` (logged once here)."""
    try:
        yield
    except OSError as exc:
        log.error("material storage cannot be written", extra={"error": type(exc).__name__})
        raise StorageUnavailableError(exc) from exc


async def probe_writable(temp_dir: Path) -> None:
    """Create, write, flush and remove a small file in ``temp_dir``; raises ``OSError`` if any step fails."""

    def probe() -> None:
        temp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=temp_dir, prefix="probe-")
        try:
            os.write(fd, b"ok")
            os.fsync(fd)
        finally:
            os.close(fd)
            Path(name).unlink()

    await anyio.to_thread.run_sync(probe)


async def remove_orphaned_uploads(
    temp_dir: Path, *, now: datetime, older_than: timedelta = ORPHAN_AGE
) -> int:
    """Remove this service's temporary files in ``temp_dir`` last modified before ``now - older_than``.

    ``now`` is the system time (file times are the filesystem's, not the service clock's). Returns how
    many were removed; a directory that does not exist or cannot be read removes nothing (and never
    stops the start-up: ``/readyz`` is where an unusable directory shows).
    """
    cutoff = (now - older_than).timestamp()

    def sweep() -> int:
        removed = 0
        try:
            for path in temp_dir.iterdir():
                if not path.name.startswith(_TEMP_PREFIXES) or not path.is_file():
                    continue
                with contextlib.suppress(FileNotFoundError):  # another replica swept it first
                    if path.stat().st_mtime < cutoff:
                        path.unlink()
                        removed += 1
        except FileNotFoundError:
            pass  # nothing uploaded yet
        except OSError as exc:  # the service still starts; readiness reports the storage
            log.warning("cannot sweep partial uploads", extra={"error": type(exc).__name__})
        return removed

    removed = await anyio.to_thread.run_sync(sweep)
    if removed:
        log.info("removed orphaned partial uploads", extra={"count": removed})
    return removed
