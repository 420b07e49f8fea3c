"""Reading and writing the hotline's tables within one unit of work's session (no commits here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from onematter_kit.paging import fetch_page
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from onematter_hotline.adapters.tables import HotlineDispatchRule, HotlineKnowledge, HotlineRequestRow
from onematter_hotline.domain.knowledge import KnowledgeEntry
from onematter_hotline.domain.model import HotlineRequest, Status

__all__ = ["DispatchRuleRepository", "KnowledgeEntry", "KnowledgeRepository", "RequestRepository"]

_OPEN = [Status.received.value, Status.dispatched.value, Status.objected.value, Status.reopened.value]


def _words(row_words: str) -> frozenset[str]:
    return frozenset(row_words.split())


class RequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, request: HotlineRequest, *, words: frozenset[str], at: datetime) -> None:
        row = HotlineRequestRow(
            id=request.id, words=" ".join(sorted(words)), received_at=at, **self._columns(request)
        )
        self.session.add(row)

    async def get(self, request_id: str, *, for_update: bool = False) -> HotlineRequest | None:
        statement = select(HotlineRequestRow).where(col(HotlineRequestRow.id) == request_id)
        row = await self.session.scalar(statement.with_for_update() if for_update else statement)
        return HotlineRequest.model_validate(row.document) if row is not None else None

    async def save(self, request: HotlineRequest) -> None:
        row = await self.session.get(HotlineRequestRow, request.id)
        assert row is not None, "save() follows get() in the same unit of work"
        for name, value in self._columns(request).items():
            setattr(row, name, value)

    async def open_similar(
        self, *, category: str, region: str, exclude: str
    ) -> list[tuple[str, frozenset[str]]]:
        """Open requests of ``category`` in ``region`` (not ``exclude``) with their content words."""
        rows = await self.session.execute(
            select(col(HotlineRequestRow.id), col(HotlineRequestRow.words)).where(
                col(HotlineRequestRow.category) == category,
                col(HotlineRequestRow.region) == region,
                col(HotlineRequestRow.status).in_(_OPEN),
                col(HotlineRequestRow.id) != exclude,
            )
        )
        return [(rid, _words(words)) for rid, words in rows.all()]

    async def due_before(self, today: date, *, limit: int = 500) -> list[HotlineRequest]:
        """Dispatched requests whose due date is before ``today``, oldest due first, at most ``limit``;
        locked, skipping rows another replica's round holds (so each is escalated once)."""
        rows = await self.session.scalars(
            select(HotlineRequestRow)
            .where(col(HotlineRequestRow.status) == Status.dispatched.value)
            .where(col(HotlineRequestRow.due_on) < today)
            .order_by(col(HotlineRequestRow.due_on), col(HotlineRequestRow.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [HotlineRequest.model_validate(row.document) for row in rows.all()]

    async def page(
        self, *, office: str | None, status: str | None, limit: int, offset: int
    ) -> tuple[list[HotlineRequest], int]:
        """Requests newest first, optionally of one office and one status."""
        statement = select(HotlineRequestRow).order_by(
            col(HotlineRequestRow.received_at).desc(), col(HotlineRequestRow.id)
        )
        if office is not None:
            statement = statement.where(col(HotlineRequestRow.office) == office)
        if status is not None:
            statement = statement.where(col(HotlineRequestRow.status) == status)
        rows, total = await fetch_page(self.session, statement, limit=limit, offset=offset)
        return [HotlineRequest.model_validate(row.document) for row in rows], total

    @staticmethod
    def _columns(request: HotlineRequest) -> dict[str, Any]:
        return {
            "type": request.type.value,
            "status": request.status.value,
            "category": request.category,
            "region": request.region,
            "office": request.office,
            "due_on": request.due_on,
            "document": request.model_dump(mode="json"),
        }


class KnowledgeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def put(self, entry: KnowledgeEntry, *, words: frozenset[str], at: datetime) -> None:
        """Insert or replace the entry with ``entry.id``, searchable by ``words``."""
        row = HotlineKnowledge(
            id=entry.id,
            source=entry.source,
            title=entry.title,
            body=entry.body,
            words=" ".join(sorted(words)),
            updated_at=at,
        )
        await self.session.merge(row)

    async def remove(self, entry_id: str) -> None:
        await self.session.execute(delete(HotlineKnowledge).where(col(HotlineKnowledge.id) == entry_id))

    async def all_words(self) -> list[tuple[str, frozenset[str]]]:
        """Every entry's id and content words (a knowledge base of thousands fits in memory)."""
        rows = await self.session.execute(select(col(HotlineKnowledge.id), col(HotlineKnowledge.words)))
        return [(entry_id, _words(words)) for entry_id, words in rows.all()]

    async def get_many(self, ids: Sequence[str]) -> list[KnowledgeEntry]:
        """The entries of ``ids`` in that order (missing ones left out)."""
        rows = await self.session.scalars(select(HotlineKnowledge).where(col(HotlineKnowledge.id).in_(ids)))
        by_id = {row.id: KnowledgeEntry(row.id, row.source, row.title, row.body) for row in rows.all()}
        return [by_id[i] for i in ids if i in by_id]


class DispatchRuleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def put(self, *, category: str, region: str, office: str) -> None:
        await self.session.merge(HotlineDispatchRule(category=category, region=region, office=office))

    async def all(self) -> dict[tuple[str, str], str]:
        rows = await self.session.scalars(
            select(HotlineDispatchRule).order_by(
                col(HotlineDispatchRule.category), col(HotlineDispatchRule.region)
            )
        )
        return {(row.category, row.region): row.office for row in rows.all()}
