"""In-memory fakes of the material service's own interfaces, for handler tests without a database.

They subclass the real repository interfaces and the unit of work, so a handler cannot tell them apart;
tests assert on their state (``uow.committed``, ``uow.emitted``, the repositories' rows).
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from onematter_clock import Clock, FixedClock
from onematter_events import CloudEvent
from onematter_material.adapters.repositories import (
    AccessLogRepository,
    BlobRepository,
    GrantRepository,
    LicenceRepository,
    MaterialRepository,
)
from onematter_material.adapters.tables import AccessGrant, AccessLogEntry, Blob, Licence, Material
from onematter_material.domain.licences import NewLicence
from onematter_material.domain.materials import AccessEntry, NewMaterial
from onematter_material.service_layer.unit_of_work import MaterialUnitOfWork
from onematter_testkit import FakeUnitOfWork

#: An ordinary weekday afternoon in Beijing (2026-03-10 14:00 +08:00).
DEFAULT_NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)


T = TypeVar("T")


def _page(rows: list[T], limit: int, offset: int) -> tuple[list[T], int]:
    return rows[offset : offset + limit], len(rows)


class FakeMaterials(MaterialRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Material] = {}

    async def add(self, material: NewMaterial) -> Material:
        row = Material(**{**vars(material), "blob_sha256": material.sha256})
        self.rows[row.id] = row
        return row

    async def get(self, material_id: str) -> Material | None:
        return self.rows.get(material_id)

    async def owned(self, material_id: str, *, owner_id: str) -> Material | None:
        row = self.rows.get(material_id)
        return row if row is not None and row.owner_id == owner_id else None

    async def owned_ids(self, material_ids: Collection[str], *, owner_id: str) -> set[str]:
        return {i for i in material_ids if i in self.rows and self.rows[i].owner_id == owner_id}

    async def page(
        self, owner_id: str, *, ids: Collection[str] | None, limit: int, offset: int
    ) -> tuple[list[Material], int]:
        rows = [r for r in self.rows.values() if r.owner_id == owner_id and (ids is None or r.id in ids)]
        return _page(sorted(rows, key=lambda r: r.created_at, reverse=True), limit, offset)

    async def remove(self, material: Material) -> None:
        del self.rows[material.id]


class FakeBlobs(BlobRepository):
    def __init__(self, materials: FakeMaterials) -> None:
        self.rows: dict[str, Blob] = {}
        self._materials = materials

    async def upsert(self, *, sha256: str, size: int, media_type: str, at: datetime) -> None:
        self.rows.setdefault(sha256, Blob(sha256=sha256, size=size, media_type=media_type, created_at=at))

    async def lock(self, sha256: str) -> Blob | None:
        return self.rows.get(sha256)

    async def references(self, sha256: str) -> int:
        return sum(1 for m in self._materials.rows.values() if m.blob_sha256 == sha256)

    async def remove(self, blob: Blob) -> None:
        del self.rows[blob.sha256]

    async def existing(self, sha256s: Collection[str]) -> set[str]:
        return set(sha256s) & set(self.rows)


class FakeGrants(GrantRepository):
    def __init__(self) -> None:
        self.rows: list[AccessGrant] = []

    async def add(
        self, *, task_id: str, department: str, application_id: str, material_ids: list[str], at: datetime
    ) -> None:
        self.rows += [
            AccessGrant(
                department=department,
                material_id=m,
                task_id=task_id,
                application_id=application_id,
                granted_at=at,
            )
            for m in material_ids
        ]

    async def granted_materials(self, task_id: str) -> set[str]:
        return {g.material_id for g in self.rows if g.task_id == task_id}

    async def active(self, material_id: str, *, department: str) -> AccessGrant | None:
        mine = [g for g in self.rows if (g.material_id, g.department) == (material_id, department)]
        return min((g for g in mine if g.active), key=lambda g: g.granted_at, default=None)

    async def open_task_of(self, material_id: str) -> str | None:
        return next((g.task_id for g in self.rows if g.material_id == material_id and g.active), None)

    async def end_for_task(self, task_id: str, *, at: datetime) -> int:
        ending = [g for g in self.rows if g.task_id == task_id and g.active]
        for grant in ending:
            grant.active, grant.ended_at = False, at
        return len(ending)

    async def ended_tasks(self, task_ids: Collection[str]) -> set[str]:
        return {g.task_id for g in self.rows if g.task_id in task_ids and not g.active}


class FakeLicences(LicenceRepository):
    def __init__(self) -> None:
        self.rows: list[Licence] = []

    async def add(self, licence: NewLicence) -> Licence:
        row = Licence(**vars(licence), status="valid")
        self.rows.append(row)
        return row

    async def for_task(self, task_id: str, licence_type: str) -> Licence | None:
        return next((r for r in self.rows if (r.task_id, r.licence_type) == (task_id, licence_type)), None)

    async def by_code(self, verification_code: str) -> Licence | None:
        return next((r for r in self.rows if r.verification_code == verification_code), None)

    async def get(self, licence_id: str, *, lock: bool = False) -> Licence | None:
        return next((r for r in self.rows if r.id == licence_id), None)

    async def numbered(self, licence_type: str, number: str) -> Licence | None:
        return next((r for r in self.rows if (r.licence_type, r.number) == (licence_type, number)), None)

    async def claim_sequence(self, stem: str) -> int:
        return sum(r.number.startswith(stem) for r in self.rows) + 1

    async def page(
        self, holder_id: str, *, licence_type: str | None, limit: int, offset: int
    ) -> tuple[list[Licence], int]:
        rows = [r for r in self.rows if r.holder_id == holder_id and licence_type in (None, r.licence_type)]
        return _page(sorted(rows, key=lambda r: r.issued_at, reverse=True), limit, offset)

    async def name_holder(self, holder_id: str, name: str) -> int:
        renamed = [r for r in self.rows if r.holder_id == holder_id and r.holder_name != name]
        for row in renamed:
            row.holder_name = name
        return len(renamed)


class FakeAccessLog(AccessLogRepository):
    def __init__(self) -> None:
        self.rows: list[AccessLogEntry] = []

    def add(self, entry: AccessEntry) -> None:
        self.rows.append(AccessLogEntry(**vars(entry)))

    async def page(self, owner_id: str, *, limit: int, offset: int) -> tuple[list[AccessLogEntry], int]:
        rows = [r for r in self.rows if r.owner_id == owner_id]
        return _page(sorted(rows, key=lambda r: r.read_at, reverse=True), limit, offset)


class FakeMaterialUnitOfWork(FakeUnitOfWork, MaterialUnitOfWork):
    """The testkit's fake unit of work (``committed``, ``emitted``) with in-memory repositories.

    Like the real one, what the repositories hold is not rolled back; tests check ``committed``."""

    def __init__(self, *, clock: Clock | None = None) -> None:
        super().__init__()
        self.clock = clock or FixedClock(DEFAULT_NOW)
        self.materials = FakeMaterials()
        self.blobs = FakeBlobs(self.materials)
        self.grants = FakeGrants()
        self.licences = FakeLicences()
        self.access_log = FakeAccessLog()


class FakeBlobWriter:
    """A finished upload of ``content`` (closed and hashed), as the blob store's writer would be."""

    def __init__(self, content: bytes, *, temp_path: Path = Path("/nonexistent")) -> None:
        self.size, self.head = len(content), content[:64]
        self.sha256: str | None = hashlib.sha256(content).hexdigest()
        self.published = False
        self._temp = temp_path

    @property
    def temp_path(self) -> Path:
        return self._temp

    async def write(self, data: bytes) -> None:
        raise AssertionError("already closed")

    async def close(self) -> str:
        assert self.sha256 is not None
        return self.sha256

    async def publish(self) -> None:
        self.published = True

    async def discard(self) -> None:
        pass


class FakeBlobStore:
    """Remembers which blobs were deleted."""

    def __init__(self) -> None:
        self.deleted: list[str] = []

    async def open_writer(self) -> FakeBlobWriter:
        raise AssertionError("not used by handlers")

    def local_path(self, sha256: str) -> Path:
        return Path("/nonexistent") / sha256

    async def exists(self, sha256: str) -> bool:
        return sha256 not in self.deleted

    async def delete(self, sha256: str) -> None:
        self.deleted.append(sha256)


async def consume(
    handler: Callable[[CloudEvent, FakeMaterialUnitOfWork], Awaitable[None]],
    event: CloudEvent,
    uow: FakeMaterialUnitOfWork,
) -> None:
    """What the kit's idempotent consumer does around an event handler: enter, apply, commit."""
    async with uow:
        await handler(event, uow)
        await uow.commit()
