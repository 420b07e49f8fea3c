"""The blob store's files as the orphan sweep sees them (issue 19): which are old, and removing one safely.

A blob file is at ``<root>/<aa>/<bb>/<sha256>``. The sweep pages through the store one first-level shard
(``<aa>``, 1/256 of the files) at a time, so a million blobs are never listed at once. Only files whose
mtime is before a cutoff are candidates: an upload in flight has just written (or, when de-duplicated,
just refreshed with ``os.utime``) its file, and the grace period is longer than any upload takes.

Removing is race-free against an upload of the same bytes: the file is first renamed into the temporary
directory (atomic), then its mtime is read again there. If an upload refreshed it in between, it goes
back to its address; if the upload refreshes after the rename, its ``utime`` fails and it publishes its
own copy. A crash between the rename and the put-back leaves the file parked: the next sweep puts parked
files whose digest has a row back (:func:`parked_blobs`, :func:`restore_parked`) before the partial-upload
sweep removes old ones. File times are the filesystem's, so cutoffs are POSIX timestamps of the system time.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path

import anyio.to_thread

__all__ = ["SWEEP_PREFIX", "aged_blobs", "parked_blobs", "remove_if_aged", "restore_parked", "shards"]

#: Prefix of a blob being removed by the sweep, in ``<root>/tmp`` (the partial-upload sweep clears
#: leftovers of a crash, which are old by then).
SWEEP_PREFIX = "sweep-"

_SHARD = re.compile(r"^[0-9a-f]{2}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PARKED = re.compile(rf"^{SWEEP_PREFIX}([0-9a-f]{{64}})-[0-9a-f]+$")


async def shards(root: Path) -> list[str]:
    """The first-level shard directories (``"00"`` … ``"ff"``) that exist under ``root``, sorted."""

    def list_shards() -> list[str]:
        try:
            return sorted(e.name for e in os.scandir(root) if _SHARD.match(e.name) and e.is_dir())
        except FileNotFoundError:
            return []

    return await anyio.to_thread.run_sync(list_shards)


async def aged_blobs(root: Path, shard: str, *, before: float) -> list[str]:
    """The sha256 digests of blob files in ``root/shard`` whose mtime is before ``before`` (POSIX s)."""

    def scan() -> list[str]:
        found: list[str] = []
        with contextlib.suppress(FileNotFoundError):
            for second in os.scandir(root / shard):
                if second.is_dir():
                    found += _aged_in(Path(second.path), before)
        return found

    return await anyio.to_thread.run_sync(scan)


def _aged_in(directory: Path, before: float) -> list[str]:
    aged: list[str] = []
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(directory):
            with contextlib.suppress(FileNotFoundError):  # removed meanwhile (another replica's sweep)
                if _SHA256.match(entry.name) and entry.stat().st_mtime < before:
                    aged.append(entry.name)
    return aged


async def remove_if_aged(path: Path, temp_dir: Path, *, before: float) -> bool:
    """Remove the blob file at ``path`` if its mtime is still before ``before``; True if removed.

    Renames it into ``temp_dir`` first and checks the age again there, putting it back if an upload
    refreshed it meanwhile (see the module's docstring). A file already gone removes nothing."""

    def remove() -> bool:
        parked = temp_dir / f"{SWEEP_PREFIX}{path.name}-{secrets.token_hex(4)}"
        temp_dir.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(path, parked)
        except FileNotFoundError:
            return False
        try:
            if parked.stat().st_mtime >= before:  # an upload about to reference it refreshed it
                os.replace(parked, path)  # identical bytes if that upload published its own copy meanwhile
                return False
            parked.unlink()
        except FileNotFoundError:  # another replica put it back meanwhile: its row exists
            return False
        return True

    return await anyio.to_thread.run_sync(remove)


async def parked_blobs(temp_dir: Path) -> dict[str, list[Path]]:
    """Blob files a crashed sweep left parked in ``temp_dir``, by digest (usually none)."""

    def scan() -> dict[str, list[Path]]:
        parked: dict[str, list[Path]] = {}
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            for entry in os.scandir(temp_dir):
                if match := _PARKED.match(entry.name):
                    parked.setdefault(match.group(1), []).append(Path(entry.path))
        return parked

    return await anyio.to_thread.run_sync(scan)


async def restore_parked(parked: Path, target: Path) -> None:
    """Put a parked blob back at its content address ``target`` (identical bytes if one is there)."""

    def restore() -> None:
        with contextlib.suppress(FileNotFoundError):  # another replica restored it first
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(parked, target)

    await anyio.to_thread.run_sync(restore)
