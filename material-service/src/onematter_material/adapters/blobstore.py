"""Where file bytes live: a content-addressed :class:`BlobStore` (sha256 → bytes).

Writing is two-phase so that the database decides what exists: :meth:`BlobStore.open_writer` streams into a
temporary file while hashing and counting; :meth:`BlobWriter.publish` atomically renames it to its content
address (``<root>/<aa>/<bb>/<sha256>``), which is idempotent — the same bytes land on the same path, so two
uploads of one file are stored once. Client file names never reach this module.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

import anyio.to_thread

from onematter_material.adapters.storage import storage_errors

__all__ = ["BlobStore", "BlobWriter", "LocalBlobStore", "LocalBlobWriter"]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobWriter(Protocol):
    """One blob being written. ``size``/``head`` are live; ``sha256`` is final after :meth:`close`."""

    size: int
    head: bytes
    sha256: str | None

    @property
    def temp_path(self) -> Path:
        """The finished temporary file, for cheap checks of its structure before it is published."""

    async def write(self, data: bytes) -> None: ...
    async def close(self) -> str:
        """Finish writing; returns the sha256 (hex)."""

    async def publish(self) -> None:
        """Move the finished blob to its content address (atomic). Content already there is kept and its
        mtime refreshed (so the orphan sweep leaves it to the row about to reference it)."""

    async def discard(self) -> None:
        """Remove the temporary file (safe to call after :meth:`publish` and more than once)."""


class BlobStore(Protocol):
    async def open_writer(self) -> BlobWriter: ...
    def local_path(self, sha256: str) -> Path:
        """A readable path of the blob (the download streams it with Range support)."""

    async def exists(self, sha256: str) -> bool: ...
    async def delete(self, sha256: str) -> None:
        """Remove the blob; missing is fine."""


class LocalBlobWriter:
    def __init__(self, store: LocalBlobStore, fd: int, temp_path: Path) -> None:
        self._store = store
        self._file = os.fdopen(fd, "wb")
        self._temp = temp_path
        self._hash = hashlib.sha256()
        self.size = 0
        self.head = b""
        self.sha256: str | None = None

    @property
    def temp_path(self) -> Path:
        return self._temp

    async def write(self, data: bytes) -> None:
        if len(self.head) < 64:
            self.head += data[: 64 - len(self.head)]
        self._hash.update(data)
        self.size += len(data)
        with storage_errors():  # a full disk mid-upload is the storage's fault, not the database's
            await anyio.to_thread.run_sync(self._file.write, data)

    async def close(self) -> str:
        with storage_errors():
            await anyio.to_thread.run_sync(self._flush_and_close)
        self.sha256 = self._hash.hexdigest()
        return self.sha256

    def _flush_and_close(self) -> None:
        if not self._file.closed:
            self._file.flush()
            os.fsync(self._file.fileno())  # the rename must not publish a file whose bytes are not on disk
            self._file.close()

    async def publish(self) -> None:
        if self.sha256 is None:
            raise RuntimeError("close() the writer before publishing it")
        target = self._store.local_path(self.sha256)
        with storage_errors():
            await anyio.to_thread.run_sync(self._rename_into, target)

    def _rename_into(self, target: Path) -> None:
        # De-duplication: the same bytes are already there. Refreshing their mtime before the row commits
        # keeps the orphan sweep (which removes only files older than its grace period) off them; if a sweep
        # took them away first, utime fails and our own copy is published instead.
        with contextlib.suppress(FileNotFoundError):
            os.utime(target)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self._temp, target)  # atomic on one filesystem; identical bytes, so replacing is harmless

    async def discard(self) -> None:
        def remove() -> None:
            if not self._file.closed:
                self._file.close()
            with contextlib.suppress(FileNotFoundError):
                self._temp.unlink()

        await anyio.to_thread.run_sync(remove)


class LocalBlobStore:
    """The local filesystem implementation. Temporary files live under the root, so renames stay atomic."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        #: Where uploads are streamed before they are published (readiness probes it, start-up sweeps it).
        self.temp_dir = self._tmp = self.root / "tmp"

    async def open_writer(self) -> LocalBlobWriter:
        def create() -> tuple[int, str]:
            self._tmp.mkdir(parents=True, exist_ok=True)
            return tempfile.mkstemp(dir=self._tmp, prefix="upload-")

        with storage_errors():  # an unwritable directory: 503 "storage unavailable", not "database"
            fd, name = await anyio.to_thread.run_sync(create)
        return LocalBlobWriter(self, fd, Path(name))

    def local_path(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):  # the address is ours, but refuse anything that is not a digest
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    async def exists(self, sha256: str) -> bool:
        return await anyio.to_thread.run_sync(self.local_path(sha256).is_file)

    async def delete(self, sha256: str) -> None:
        def remove() -> None:
            with contextlib.suppress(FileNotFoundError):
                self.local_path(sha256).unlink()

        await anyio.to_thread.run_sync(remove)
