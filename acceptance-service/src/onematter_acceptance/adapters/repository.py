"""Queries of the acceptance tables, and the unit of work that carries them."""

from __future__ import annotations

from typing import Any

from onematter_kit.unit_of_work import SqlUnitOfWork
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from onematter_acceptance.adapters.tables import Application, MatterCopy, NumberCounter, Task, TimelineEntry

__all__ = ["AcceptanceUnitOfWork"]


class AcceptanceUnitOfWork(SqlUnitOfWork):
    """``SqlUnitOfWork`` plus the few queries every handler needs."""

    async def current_matter(self, code: str) -> MatterCopy | None:
        """The latest published version of ``code``; ``None`` if unknown or retired."""
        row = (
            await self.session.execute(
                select(MatterCopy)
                .where(MatterCopy.matter_code == code)
                .order_by(MatterCopy.version.desc())
                .limit(1)
            )
        ).scalar_one_or_none()
        return None if row is None or row.retired else row

    async def matter_version(self, code: str, version: int) -> MatterCopy | None:
        return await self.session.get(MatterCopy, (code, version))

    async def application_by_number(self, number: str, *, lock: bool = False) -> Application | None:
        query = select(Application).where(Application.acceptance_number == number)
        if lock:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def tasks_of(self, application_id: str, *, lock: bool = False) -> list[Task]:
        query = select(Task).where(Task.application_id == application_id).order_by(Task.item_code)
        if lock:
            query = query.with_for_update()
        return list((await self.session.execute(query)).scalars())

    async def material_ids_of(self, applicant_id: str) -> set[str]:
        """Every material id the applicant's earlier applications referenced (their reused 一套材料)."""
        rows = await self.session.execute(
            select(Application.materials).where(Application.applicant_id == applicant_id)
        )
        return {
            ref["material_id"]
            for refs in rows.scalars()
            for ref in refs.values()
            if isinstance(ref, dict) and ref.get("material_id")
        }

    async def next_number(self, day: str) -> int:
        """The day's next sequence number: one atomic upsert, its row lock held until commit."""
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(NumberCounter).values(day=day, last=1)
        statement = statement.on_conflict_do_update(
            index_elements=["day"], set_={"last": NumberCounter.last + 1}
        )
        return (await self.session.execute(statement.returning(NumberCounter.last))).scalar_one()

    def record(self, application_id: str, *, actor: str, kind: str, **detail: Any) -> None:
        """Append one timeline entry (never updated or deleted)."""
        self.session.add(TimelineEntry(application_id=application_id, actor=actor, kind=kind, detail=detail))
