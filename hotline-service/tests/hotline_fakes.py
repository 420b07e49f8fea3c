"""In-memory fakes of the hotline's own interfaces, for handler tests without a database.

They subclass the real repositories and unit of work, so a handler cannot tell them apart; tests assert on
their state (``uow.committed``, ``uow.emitted``, the repositories' rows).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Self

from onematter_clock import Clock
from onematter_hotline.adapters.repository import (
    DispatchRuleRepository,
    KnowledgeRepository,
    RequestRepository,
)
from onematter_hotline.domain.knowledge import KnowledgeEntry
from onematter_hotline.domain.model import HotlineRequest, Status
from onematter_hotline.service_layer.unit_of_work import HotlineUnitOfWork
from onematter_testkit import FakeUnitOfWork

_OPEN = {Status.received, Status.dispatched, Status.objected, Status.reopened}


class FakeRequests(RequestRepository):
    def __init__(self) -> None:
        self.rows: dict[str, HotlineRequest] = {}
        self.words: dict[str, frozenset[str]] = {}

    async def add(self, request: HotlineRequest, *, words: frozenset[str], at: datetime) -> None:
        self.rows[request.id], self.words[request.id] = request.model_copy(deep=True), words

    async def get(self, request_id: str, *, for_update: bool = False) -> HotlineRequest | None:
        row = self.rows.get(request_id)
        return row.model_copy(deep=True) if row else None

    async def save(self, request: HotlineRequest) -> None:
        assert request.id in self.rows
        self.rows[request.id] = request.model_copy(deep=True)

    async def open_similar(
        self, *, category: str, region: str, exclude: str
    ) -> list[tuple[str, frozenset[str]]]:
        return [
            (r.id, self.words[r.id])
            for r in self.rows.values()
            if r.category == category and r.region == region and r.status in _OPEN and r.id != exclude
        ]

    async def due_before(self, today: date, *, limit: int = 500) -> list[HotlineRequest]:
        due = [
            r for r in self.rows.values() if r.status is Status.dispatched and r.due_on and r.due_on < today
        ]
        return [r.model_copy(deep=True) for r in due[:limit]]


class FakeKnowledge(KnowledgeRepository):
    def __init__(self) -> None:
        self.rows: dict[str, tuple[KnowledgeEntry, frozenset[str]]] = {}

    async def put(self, entry: KnowledgeEntry, *, words: frozenset[str], at: datetime) -> None:
        self.rows[entry.id] = (entry, words)

    async def remove(self, entry_id: str) -> None:
        self.rows.pop(entry_id, None)

    async def all_words(self) -> list[tuple[str, frozenset[str]]]:
        return [(entry_id, words) for entry_id, (_, words) in self.rows.items()]

    async def get_many(self, ids: list[str]) -> list[KnowledgeEntry]:  # type: ignore[override]
        return [self.rows[i][0] for i in ids if i in self.rows]


class FakeRules(DispatchRuleRepository):
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], str] = {}

    async def put(self, *, category: str, region: str, office: str) -> None:
        self.rows[(category, region)] = office

    async def all(self) -> dict[tuple[str, str], str]:
        return dict(self.rows)


class FakeHotlineUnitOfWork(FakeUnitOfWork, HotlineUnitOfWork):
    """The testkit's fake unit of work with in-memory repositories (not rolled back; check ``committed``)."""

    def __init__(self, *, clock: Clock | None = None) -> None:
        FakeUnitOfWork.__init__(self, clock=clock)
        self.requests = FakeRequests()
        self.knowledge = FakeKnowledge()
        self.rules = FakeRules()

    async def __aenter__(self) -> Self:
        self.committed = False
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.rollback()


class WeekdaysOnly:
    """Working days without holidays (Monday–Friday): enough for handler tests of dates in plain weeks."""

    def add_working_days(self, start: date, days: int) -> date:
        day = start
        while days:
            day += timedelta(days=1)
            days -= day.weekday() < 5
        return day


class SpaceSegmenter:
    """Words split on spaces: the handler tests choose their words; jieba is tested on its own."""

    def words(self, text: str) -> list[str]:
        return text.split()
