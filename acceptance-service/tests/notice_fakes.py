"""The in-memory notices repository: what a handler adds is stored only when the unit of work commits."""

from __future__ import annotations

from datetime import datetime

from onematter_acceptance.adapters.notices import NoticeRepository, StoredNotice
from onematter_workdays import HolidayNotice


class FakeNoticeRepository(NoticeRepository):
    def __init__(self) -> None:
        self.stored: list[StoredNotice] = []
        self._pending: list[StoredNotice] = []
        #: How many units of work took the calendar lock.
        self.locks = 0

    async def lock(self) -> None:
        self.locks += 1

    async def in_force(self) -> list[HolidayNotice]:
        by_year: dict[int, HolidayNotice] = {}
        for stored in sorted(self.stored, key=lambda s: (s.notice.year, s.notice.version)):
            by_year[stored.notice.year] = stored.notice
        return [by_year[year] for year in sorted(by_year)]

    async def latest_id(self) -> int | None:
        return max((s.id for s in self.stored), default=None)

    async def add(
        self, notice: HolidayNotice, *, loaded_at: datetime, loaded_by: str, deadlines_moved: int
    ) -> StoredNotice:
        stored = StoredNotice(len(self.stored) + len(self._pending) + 1, notice, loaded_at, deadlines_moved)
        self._pending.append(stored)
        return stored

    def commit(self) -> None:
        self.stored.extend(self._pending)
        self._pending.clear()

    def rollback(self) -> None:
        self._pending.clear()
