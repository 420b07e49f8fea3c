"""The repositories on SQLAlchemy: every query of the material service, within the unit of work's session."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from onematter_kit.database import is_postgres
from onematter_kit.paging import fetch_page
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from onematter_material.adapters.repositories import (
    AccessLogRepository,
    BlobRepository,
    GrantRepository,
    LicenceRepository,
    MaterialRepository,
)
from onematter_material.adapters.tables import (
    AccessGrant,
    AccessLogEntry,
    Blob,
    Licence,
    LicenceSequence,
    Material,
)
from onematter_material.domain.licences import NewLicence
from onematter_material.domain.materials import AccessEntry, NewMaterial

__all__ = [
    "SqlAccessLogRepository",
    "SqlBlobRepository",
    "SqlGrantRepository",
    "SqlLicenceRepository",
    "SqlMaterialRepository",
]

#: How many digests one ``existing`` query asks about.
_EXISTING_BATCH = 500


class _Sql:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _page(self, statement: Any, *, limit: int, offset: int) -> tuple[list[Any], int]:
        rows, total = await fetch_page(self.session, statement, limit=limit, offset=offset)
        return list(rows), total


class SqlMaterialRepository(_Sql, MaterialRepository):
    async def add(self, material: NewMaterial) -> Material:
        row = Material(
            owner_id=material.owner_id,
            material_type=material.material_type,
            blob_sha256=material.sha256,
            size=material.size,
            media_type=material.media_type,
            file_name=material.file_name,
            created_at=material.created_at,
        )
        self.session.add(row)
        await self.session.flush()
        return row

    async def get(self, material_id: str) -> Material | None:
        return await self.session.get(Material, material_id)

    async def owned(self, material_id: str, *, owner_id: str) -> Material | None:
        statement = select(Material).where(
            col(Material.id) == material_id, col(Material.owner_id) == owner_id
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def owned_ids(self, material_ids: Collection[str], *, owner_id: str) -> set[str]:
        statement = select(col(Material.id)).where(
            col(Material.id).in_(list(material_ids)), col(Material.owner_id) == owner_id
        )
        return set((await self.session.execute(statement)).scalars())

    async def page(
        self, owner_id: str, *, ids: Collection[str] | None, limit: int, offset: int
    ) -> tuple[list[Material], int]:
        statement = select(Material).where(col(Material.owner_id) == owner_id)
        if ids is not None:
            statement = statement.where(col(Material.id).in_(list(ids)))
        statement = statement.order_by(col(Material.created_at).desc(), col(Material.id))
        return await self._page(statement, limit=limit, offset=offset)

    async def remove(self, material: Material) -> None:
        await self.session.delete(material)
        await self.session.flush()


class SqlBlobRepository(_Sql, BlobRepository):
    async def upsert(self, *, sha256: str, size: int, media_type: str, at: datetime) -> None:
        dialect: Any = postgresql if is_postgres(self.session.get_bind()) else sqlite
        statement = dialect.insert(Blob).values(
            sha256=sha256, size=size, media_type=media_type, created_at=at
        )
        await self.session.execute(
            statement.on_conflict_do_update(index_elements=["sha256"], set_={"size": statement.excluded.size})
        )

    async def lock(self, sha256: str) -> Blob | None:
        statement = select(Blob).where(col(Blob.sha256) == sha256).with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def references(self, sha256: str) -> int:
        statement = select(func.count()).select_from(Material).where(col(Material.blob_sha256) == sha256)
        return int((await self.session.execute(statement)).scalar_one())

    async def remove(self, blob: Blob) -> None:
        await self.session.delete(blob)

    async def existing(self, sha256s: Collection[str]) -> set[str]:
        wanted, found = sorted(set(sha256s)), set[str]()
        for start in range(0, len(wanted), _EXISTING_BATCH):  # bounded IN lists (SQLite's parameter cap)
            batch = wanted[start : start + _EXISTING_BATCH]
            statement = select(col(Blob.sha256)).where(col(Blob.sha256).in_(batch))
            found.update((await self.session.execute(statement)).scalars())
        return found


class SqlGrantRepository(_Sql, GrantRepository):
    async def add(
        self, *, task_id: str, department: str, application_id: str, material_ids: list[str], at: datetime
    ) -> None:
        self.session.add_all(
            AccessGrant(
                department=department,
                material_id=material_id,
                task_id=task_id,
                application_id=application_id,
                granted_at=at,
            )
            for material_id in material_ids
        )

    async def granted_materials(self, task_id: str) -> set[str]:
        statement = select(col(AccessGrant.material_id)).where(col(AccessGrant.task_id) == task_id)
        return set((await self.session.execute(statement)).scalars())

    async def active(self, material_id: str, *, department: str) -> AccessGrant | None:
        statement = (
            select(AccessGrant)
            .where(
                col(AccessGrant.material_id) == material_id,
                col(AccessGrant.department) == department,
                col(AccessGrant.active).is_(True),
            )
            .order_by(col(AccessGrant.granted_at))
            .limit(1)
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def open_task_of(self, material_id: str) -> str | None:
        statement = select(col(AccessGrant.task_id)).where(
            col(AccessGrant.material_id) == material_id, col(AccessGrant.active).is_(True)
        )
        return (await self.session.execute(statement.limit(1))).scalar()

    async def end_for_task(self, task_id: str, *, at: datetime) -> int:
        result: Any = await self.session.execute(
            update(AccessGrant)
            .where(col(AccessGrant.task_id) == task_id, col(AccessGrant.active).is_(True))
            .values(active=False, ended_at=at)
        )
        return int(result.rowcount or 0)

    async def ended_tasks(self, task_ids: Collection[str]) -> set[str]:
        if not task_ids:
            return set()
        statement = select(col(AccessGrant.task_id)).where(
            col(AccessGrant.task_id).in_(list(task_ids)), col(AccessGrant.active).is_(False)
        )
        return set((await self.session.execute(statement.distinct())).scalars())


class SqlLicenceRepository(_Sql, LicenceRepository):
    async def add(self, licence: NewLicence) -> Licence:
        row = Licence(**vars(licence))
        self.session.add(row)
        await self.session.flush()
        return row

    async def for_task(self, task_id: str, licence_type: str) -> Licence | None:
        statement = select(Licence).where(
            col(Licence.task_id) == task_id, col(Licence.licence_type) == licence_type
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def by_code(self, verification_code: str) -> Licence | None:
        statement = select(Licence).where(col(Licence.verification_code) == verification_code)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def get(self, licence_id: str, *, lock: bool = False) -> Licence | None:
        statement = select(Licence).where(col(Licence.id) == licence_id)
        if lock:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def numbered(self, licence_type: str, number: str) -> Licence | None:
        statement = select(Licence).where(
            col(Licence.licence_type) == licence_type, col(Licence.number) == number
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def claim_sequence(self, stem: str) -> int:
        # One statement: the first claim of a stem starts after the numbers already issued (a database
        # upgraded during the day); later claims add one to the row, which stays locked until commit.
        # A stem is letters, digits and hyphens (ItemResult.number_prefix), so nothing needs escaping.
        issued = select(func.count() + 1).where(col(Licence.number).like(f"{stem}%")).scalar_subquery()
        dialect: Any = postgresql if is_postgres(self.session.get_bind()) else sqlite
        statement = dialect.insert(LicenceSequence).values(stem=stem, last=issued)
        statement = statement.on_conflict_do_update(
            index_elements=["stem"], set_={"last": col(LicenceSequence.last) + 1}
        ).returning(col(LicenceSequence.last))
        return int((await self.session.execute(statement)).scalar_one())

    async def page(
        self, holder_id: str, *, licence_type: str | None, limit: int, offset: int
    ) -> tuple[list[Licence], int]:
        statement = select(Licence).where(col(Licence.holder_id) == holder_id)
        if licence_type:
            statement = statement.where(col(Licence.licence_type) == licence_type)
        statement = statement.order_by(col(Licence.issued_at).desc(), col(Licence.id))
        return await self._page(statement, limit=limit, offset=offset)

    async def name_holder(self, holder_id: str, name: str) -> int:
        result: Any = await self.session.execute(
            update(Licence)
            .where(col(Licence.holder_id) == holder_id, col(Licence.holder_name).is_distinct_from(name))
            .values(holder_name=name)
        )
        return int(result.rowcount or 0)


class SqlAccessLogRepository(_Sql, AccessLogRepository):
    def add(self, entry: AccessEntry) -> None:
        self.session.add(AccessLogEntry(**vars(entry)))

    async def page(self, owner_id: str, *, limit: int, offset: int) -> tuple[list[AccessLogEntry], int]:
        statement = (
            select(AccessLogEntry)
            .where(col(AccessLogEntry.owner_id) == owner_id)
            .order_by(col(AccessLogEntry.read_at).desc(), col(AccessLogEntry.id))
        )
        return await self._page(statement, limit=limit, offset=offset)
