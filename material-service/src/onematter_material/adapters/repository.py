"""Queries of the material service's tables, so the service layer reads as steps, not SQL."""

from __future__ import annotations

from typing import Any

from onematter_kit.tables import utcnow
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from onematter_material.adapters.tables import AccessGrant, Blob, Material

__all__ = [
    "active_grant",
    "blob_references",
    "count_and_page",
    "end_grants",
    "lock_blob",
    "owned_material",
    "task_grants_ended",
    "upsert_blob",
]


async def owned_material(session: AsyncSession, *, material_id: str, owner_id: str) -> Material | None:
    statement = select(Material).where(Material.id == material_id, Material.owner_id == owner_id)
    return (await session.execute(statement)).scalar_one_or_none()


async def active_grant(session: AsyncSession, *, material_id: str, department: str) -> AccessGrant | None:
    """The oldest open grant of ``department`` on the material (its task is the one the read is for)."""
    statement = select(AccessGrant).where(
        AccessGrant.material_id == material_id,
        AccessGrant.department == department,
        AccessGrant.active.is_(True),
    )  # type: ignore[attr-defined]
    return (await session.execute(statement.order_by(AccessGrant.granted_at).limit(1))).scalar_one_or_none()


async def upsert_blob(session: AsyncSession, *, sha256: str, size: int, media_type: str) -> None:
    """Insert the blob row or touch the existing one; either way the row stays locked until commit, so a
    concurrent delete of the last material using it cannot remove the file under this upload."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Blob).values(
        sha256=sha256, size=size, media_type=media_type, created_at=utcnow()
    )
    await session.execute(
        statement.on_conflict_do_update(index_elements=["sha256"], set_={"size": statement.excluded.size})
    )


async def lock_blob(session: AsyncSession, sha256: str) -> Blob | None:
    statement = select(Blob).where(Blob.sha256 == sha256).with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def blob_references(session: AsyncSession, sha256: str) -> int:
    return int(
        (
            await session.execute(
                select(func.count()).select_from(Material).where(Material.blob_sha256 == sha256)
            )
        ).scalar_one()
    )


async def end_grants(session: AsyncSession, task_id: str) -> int:
    result: Any = await session.execute(
        update(AccessGrant)
        .where(AccessGrant.task_id == task_id, AccessGrant.active.is_(True))  # type: ignore[attr-defined]
        .values(active=False, ended_at=utcnow())
    )
    return int(result.rowcount or 0)


async def task_grants_ended(session: AsyncSession, task_id: str) -> bool:
    """Whether the task already ended (some grant of it was closed by ``task.completed``/``cancelled``)."""
    statement = select(AccessGrant.id).where(AccessGrant.task_id == task_id, AccessGrant.active.is_(False))  # type: ignore[attr-defined]
    return (await session.execute(statement.limit(1))).first() is not None


async def count_and_page(
    session: AsyncSession, statement: Any, *, order_by: Any, limit: int, offset: int
) -> tuple[list[Any], int]:
    """One page of ``statement``'s rows and the total count of them."""
    total = (await session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
    rows = (await session.execute(statement.order_by(*order_by).limit(limit).offset(offset))).scalars().all()
    return list(rows), int(total)
