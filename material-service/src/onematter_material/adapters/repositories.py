"""What the handlers may ask of storage: one interface per kind of record, on the unit of work.

The SQL implementations are in :mod:`onematter_material.adapters.sql_repositories`; handler tests use
fakes that subclass these. No method commits: the handler's unit of work does. Lists come back as one
page and the total count before paging (``(rows, total)``), newest first.
"""

from __future__ import annotations

import abc
from collections.abc import Collection
from datetime import datetime

from onematter_material.adapters.tables import AccessGrant, AccessLogEntry, Blob, Licence, Material
from onematter_material.domain.licences import NewLicence
from onematter_material.domain.materials import AccessEntry, NewMaterial

__all__ = [
    "AccessLogRepository",
    "BlobRepository",
    "GrantRepository",
    "LicenceRepository",
    "MaterialRepository",
]


class MaterialRepository(abc.ABC):
    @abc.abstractmethod
    async def add(self, material: NewMaterial) -> Material:
        """Store a new material; its ``id`` is set on return."""

    @abc.abstractmethod
    async def get(self, material_id: str) -> Material | None: ...

    @abc.abstractmethod
    async def owned(self, material_id: str, *, owner_id: str) -> Material | None:
        """The material if it is ``owner_id``'s, else ``None``."""

    @abc.abstractmethod
    async def owned_ids(self, material_ids: Collection[str], *, owner_id: str) -> set[str]:
        """Those of ``material_ids`` that are ``owner_id``'s."""

    @abc.abstractmethod
    async def page(
        self, owner_id: str, *, ids: Collection[str] | None, limit: int, offset: int
    ) -> tuple[list[Material], int]:
        """``owner_id``'s materials (only ``ids`` when given), newest first."""

    @abc.abstractmethod
    async def remove(self, material: Material) -> None:
        """Delete the material; blob reference counts see it gone at once."""


class BlobRepository(abc.ABC):
    @abc.abstractmethod
    async def upsert(self, *, sha256: str, size: int, media_type: str, at: datetime) -> None:
        """Insert the blob row or touch it; either way it stays locked until the transaction ends, so a
        concurrent delete of its last material cannot remove the file under this upload."""

    @abc.abstractmethod
    async def lock(self, sha256: str) -> Blob | None:
        """The blob row, locked until the transaction ends (an upload of the same bytes waits)."""

    @abc.abstractmethod
    async def references(self, sha256: str) -> int:
        """How many materials point at the blob."""

    @abc.abstractmethod
    async def remove(self, blob: Blob) -> None: ...

    @abc.abstractmethod
    async def existing(self, sha256s: Collection[str]) -> set[str]:
        """Which of these digests have a blob row (committed); asked in batches of at most 500."""


class GrantRepository(abc.ABC):
    @abc.abstractmethod
    async def add(
        self, *, task_id: str, department: str, application_id: str, material_ids: list[str], at: datetime
    ) -> None:
        """Open a grant per material for the task's department."""

    @abc.abstractmethod
    async def granted_materials(self, task_id: str) -> set[str]:
        """Materials the task was ever granted (open or ended)."""

    @abc.abstractmethod
    async def active(self, material_id: str, *, department: str) -> AccessGrant | None:
        """The oldest open grant of ``department`` on the material (its task is the one a read is for)."""

    @abc.abstractmethod
    async def open_task_of(self, material_id: str) -> str | None:
        """Some task with an open grant on the material, or ``None``."""

    @abc.abstractmethod
    async def end_for_task(self, task_id: str, *, at: datetime) -> int:
        """End the task's open grants; returns how many ended."""

    @abc.abstractmethod
    async def ended_tasks(self, task_ids: Collection[str]) -> set[str]:
        """Those of ``task_ids`` whose grants were ended (the task completed or was cancelled)."""


class LicenceRepository(abc.ABC):
    @abc.abstractmethod
    async def add(self, licence: NewLicence) -> Licence:
        """Store a new licence; its ``id`` is set on return."""

    @abc.abstractmethod
    async def for_task(self, task_id: str, licence_type: str) -> Licence | None: ...

    @abc.abstractmethod
    async def by_code(self, verification_code: str) -> Licence | None: ...

    @abc.abstractmethod
    async def get(self, licence_id: str, *, lock: bool = False) -> Licence | None: ...

    @abc.abstractmethod
    async def numbered(self, licence_type: str, number: str) -> Licence | None:
        """The licence of this type with this number, if one was issued."""

    @abc.abstractmethod
    async def claim_sequence(self, stem: str) -> int:
        """The next sequence number for ``stem`` (a type's generated numbers of a day), 1 for the first;
        claimed for this transaction alone: a concurrent claim waits for it and gets the following one."""

    @abc.abstractmethod
    async def page(
        self, holder_id: str, *, licence_type: str | None, limit: int, offset: int
    ) -> tuple[list[Licence], int]:
        """``holder_id``'s licences (of ``licence_type`` when given), newest first."""

    @abc.abstractmethod
    async def name_holder(self, holder_id: str, name: str) -> int:
        """Set the holder's name on their licences where it differs; returns how many changed."""


class AccessLogRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, entry: AccessEntry) -> None: ...

    @abc.abstractmethod
    async def page(self, owner_id: str, *, limit: int, offset: int) -> tuple[list[AccessLogEntry], int]:
        """Reads of ``owner_id``'s materials by others, newest first."""
