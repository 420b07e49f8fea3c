"""Reading a ZIP container (an OFD is one) before it is accepted: its directory, and every entry
decompressed against a byte budget, so a ZIP bomb costs at most the budget and is never stored.

Reading stops one byte past ``max_expanded_bytes`` and never looks past ``max_entries``; the domain
(:func:`onematter_material.domain.media.container_media_type`) decides what the facts mean. Entry sizes
in the directory may lie, so the bytes are counted as they come out; ``zipfile`` also stops an entry at
its declared size and checks its CRC, so an archive whose directory lies is unreadable.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import anyio.to_thread

from onematter_material.domain.media import ContainerFacts, ContainerLimits

__all__ = ["inspect_container"]

_CHUNK = 64 * 1024
#: What a damaged, encrypted or unsupported archive raises while it is read.
_UNREADABLE = (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError)


async def inspect_container(path: Path, limits: ContainerLimits) -> ContainerFacts:
    """The facts of the ZIP at ``path`` (in a worker thread: decompressing is CPU work)."""
    return await anyio.to_thread.run_sync(_inspect, path, limits)


def _inspect(path: Path, limits: ContainerLimits) -> ContainerFacts:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            has_root = any(entry.filename == "OFD.xml" for entry in entries)
            if len(entries) > limits.max_entries:
                return ContainerFacts(entries=len(entries), expanded_bytes=0, has_ofd_root=has_root)
            declared = sum(entry.file_size for entry in entries)
            if declared > limits.max_expanded_bytes:  # no need to inflate what already says it is too big
                return ContainerFacts(entries=len(entries), expanded_bytes=declared, has_ofd_root=has_root)
            expanded = _expanded_bytes(archive, entries, budget=limits.max_expanded_bytes)
            return ContainerFacts(entries=len(entries), expanded_bytes=expanded, has_ofd_root=has_root)
    except _UNREADABLE:
        return ContainerFacts(entries=0, expanded_bytes=0, has_ofd_root=False, readable=False)


def _expanded_bytes(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], *, budget: int) -> int:
    """Bytes out of every entry, counted up to ``budget + 1`` (then reading stops)."""
    total = 0
    for entry in entries:
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                total += len(chunk)
                if total > budget:
                    return total
    return total
