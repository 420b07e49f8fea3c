"""Reading and writing the catalog's tables within one unit of work's session (no commits here)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from onematter_kit.paging import fetch_page
from sqlalchemy import delete, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from onematter_catalog.adapters.tables import (
    CatalogDepartment,
    CatalogItem,
    CatalogItemUsage,
    CatalogMaterialType,
    CatalogMatter,
    CatalogMatterVersion,
    CatalogPendingTopic,
)
from onematter_catalog.domain.model import Department, ItemSpec, MaterialType
from onematter_catalog.domain.validation import SharedItem

__all__ = ["CatalogRepository", "MatterFilter"]


@dataclass(frozen=True, kw_only=True)
class MatterFilter:
    subject: str | None = None
    stage: str | None = None
    department: str | None = None
    q: str | None = None


#: Advisory lock key of the first-start seed (any constant unique within the catalog's database).
_SEED_LOCK = 0x5EED_CA7A


class CatalogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def wait_for_other_seeders(self) -> None:
        """On PostgreSQL, wait until no other instance is seeding (an advisory lock held to the end of
        this transaction), so replicas starting together on an empty database seed it once: the
        later ones then find it seeded. Nothing to wait for on SQLite (one process, one writer)."""
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(CAST(:key AS bigint))"), {"key": _SEED_LOCK}
            )

    async def is_empty(self) -> bool:
        """No matters and no departments yet: the state before the first seed."""
        for table in (CatalogMatter, CatalogDepartment):
            if await self.session.scalar(select(func.count()).select_from(table)):
                return False
        return True

    async def departments(self) -> dict[str, Department]:
        rows = (await self.session.scalars(select(CatalogDepartment).order_by(CatalogDepartment.code))).all()
        return {r.code: Department(code=r.code, name_zh=r.name_zh, name_en=r.name_en) for r in rows}

    async def material_types(self) -> dict[str, MaterialType]:
        rows = (
            await self.session.scalars(select(CatalogMaterialType).order_by(CatalogMaterialType.code))
        ).all()
        return {
            r.code: MaterialType(code=r.code, name_zh=r.name_zh, name_en=r.name_en, licence=r.licence)
            for r in rows
        }

    def add_departments(self, departments: Iterable[Department]) -> None:
        self.session.add_all(CatalogDepartment(**d.model_dump()) for d in departments)

    def add_material_types(self, material_types: Iterable[MaterialType]) -> None:
        self.session.add_all(CatalogMaterialType(**m.model_dump()) for m in material_types)

    async def matter(self, code: str, *, for_update: bool = False) -> CatalogMatter | None:
        statement = select(CatalogMatter).where(col(CatalogMatter.code) == code)
        if for_update:
            statement = statement.with_for_update()  # publishing numbers versions one at a time
        return (await self.session.scalars(statement)).first()

    def add(self, row: Any) -> None:
        self.session.add(row)

    async def version(self, code: str, number: int) -> dict[str, Any] | None:
        row = await self.session.get(CatalogMatterVersion, (code, number))
        return row.payload if row else None

    async def live_matters(
        self, where: MatterFilter, *, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        """Current versions (payloads) of published, not retired matters matching ``where``, by code, and
        how many match in all."""
        statement = (
            select(col(CatalogMatterVersion.payload))
            .join(
                CatalogMatter,
                (col(CatalogMatter.code) == col(CatalogMatterVersion.matter_code))
                & (col(CatalogMatter.current_version) == col(CatalogMatterVersion.version)),
            )
            .where(col(CatalogMatter.status) == "published")
        )
        if where.subject:
            statement = statement.where(col(CatalogMatter.subject) == where.subject)
        if where.stage:
            statement = statement.where(col(CatalogMatter.stage) == where.stage)
        if where.department:
            statement = statement.where(
                col(CatalogMatter.departments).contains(f",{where.department},", autoescape=True)
            )
        if where.q:
            needle = where.q.lower()
            statement = statement.where(
                or_(
                    func.lower(CatalogMatter.name_zh).contains(needle, autoescape=True),
                    func.lower(CatalogMatter.name_en).contains(needle, autoescape=True),
                )
            )
        statement = statement.order_by(col(CatalogMatter.code))
        rows, total = await fetch_page(self.session, statement, limit=limit, offset=offset)
        return list(rows), total

    async def stage_counts(self) -> dict[tuple[str, str], int]:
        """(subject, stage) → how many matters are published (not retired) in it."""
        rows = await self.session.execute(
            select(col(CatalogMatter.subject), col(CatalogMatter.stage), func.count())
            .where(col(CatalogMatter.status) == "published")
            .group_by(col(CatalogMatter.subject), col(CatalogMatter.stage))
        )
        return {(subject, stage): int(n) for subject, stage, n in rows.all()}

    async def shared_items(self, item_codes: Collection[str], *, excluding: str) -> dict[str, SharedItem]:
        """Items of ``item_codes`` bundled by live matters other than ``excluding``, with their definition."""
        rows = await self.session.execute(
            select(
                col(CatalogItemUsage.item_code),
                col(CatalogItemUsage.matter_code),
                col(CatalogItem.definition),
            )
            .join(CatalogItem, col(CatalogItem.code) == col(CatalogItemUsage.item_code))
            .where(
                col(CatalogItemUsage.item_code).in_(list(item_codes)),
                col(CatalogItemUsage.matter_code) != excluding,
            )
        )
        return {
            code: (matter, ItemSpec.model_validate(definition)) for code, matter, definition in rows.all()
        }

    async def save_items(self, matter_code: str, items: Iterable[ItemSpec], *, now: datetime) -> None:
        """The items' newest definitions, and that ``matter_code`` (alone) bundles exactly these."""
        await self.forget_usages(matter_code)
        for item in items:
            definition = item.model_dump(mode="json")
            row = await self.session.get(CatalogItem, item.code)
            if row is None:
                row = CatalogItem(
                    code=item.code, department=item.department, definition=definition, updated_at=now
                )
                self.session.add(row)
            else:
                row.department, row.definition, row.updated_at = item.department, definition, now
            self.session.add(CatalogItemUsage(item_code=item.code, matter_code=matter_code))

    async def forget_usages(self, matter_code: str) -> None:
        await self.session.execute(
            delete(CatalogItemUsage).where(col(CatalogItemUsage.matter_code) == matter_code)
        )

    async def item(self, code: str) -> tuple[ItemSpec, list[str]] | None:
        row = await self.session.get(CatalogItem, code)
        if row is None:
            return None
        matters = await self.session.scalars(
            select(col(CatalogItemUsage.matter_code))
            .where(col(CatalogItemUsage.item_code) == code)
            .order_by(col(CatalogItemUsage.matter_code))
        )
        return ItemSpec.model_validate(row.definition), list(matters.all())

    async def request_topics(self, departments: Iterable[str], *, now: datetime) -> None:
        """Ask for the departments' task topics (created after the commit by the topics worker)."""
        for department in set(departments):
            if await self.session.get(CatalogPendingTopic, department) is None:
                self.session.add(CatalogPendingTopic(department=department, requested_at=now))

    async def pending_topics(self) -> list[str]:
        return list((await self.session.scalars(select(col(CatalogPendingTopic.department)))).all())

    async def topics_created(self, departments: Collection[str]) -> None:
        await self.session.execute(
            delete(CatalogPendingTopic).where(col(CatalogPendingTopic.department).in_(list(departments)))
        )
