"""The holiday notices on SQL, and the repository interface the handlers (and the fakes) see.

Every change of the calendar in force runs under :meth:`NoticeRepository.lock` (a PostgreSQL
transaction-level advisory lock), so two replicas or two operators never load notices concurrently: the
second one sees the first one's notice and is refused (or skips it), and no deadline is moved twice.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime

from onematter_workdays import HolidayNotice
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from onematter_acceptance.adapters.notice_tables import NoticeRow

__all__ = ["NoticeRepository", "SqlNoticeRepository", "StoredNotice"]

#: The advisory lock key of calendar changes ("calendar" in ASCII, as a bigint).
_LOCK_KEY = int.from_bytes(b"calendar", "big") & 0x7FFF_FFFF_FFFF_FFFF


@dataclass(frozen=True)
class StoredNotice:
    """A notice as stored: its row id orders the loads (a newer load has a larger id)."""

    id: int
    notice: HolidayNotice
    loaded_at: datetime
    deadlines_moved: int


class NoticeRepository(abc.ABC):
    @abc.abstractmethod
    async def lock(self) -> None:
        """Hold the calendar lock until the unit of work ends (changes of the calendar run one at a time)."""

    @abc.abstractmethod
    async def in_force(self) -> list[HolidayNotice]:
        """The highest version of each year's notice, by year."""

    @abc.abstractmethod
    async def latest_id(self) -> int | None:
        """The id of the last notice stored (a cheap "did the calendar change?"); None when none is."""

    @abc.abstractmethod
    async def add(
        self, notice: HolidayNotice, *, loaded_at: datetime, loaded_by: str, deadlines_moved: int
    ) -> StoredNotice:
        """Store a new version (flushed, so its id is known); the unit of work must still commit."""


class SqlNoticeRepository(NoticeRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock(self) -> None:
        # SQLite (make run, one process) has one writer at a time anyway.
        if self.session.bind is not None and self.session.bind.dialect.name == "postgresql":
            await self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})

    async def in_force(self) -> list[HolidayNotice]:
        rows = await self.session.scalars(
            select(NoticeRow).order_by(col(NoticeRow.year), col(NoticeRow.version))
        )
        by_year = {row.year: row for row in rows}  # the last (highest) version of each year wins
        return [HolidayNotice.model_validate(by_year[year].notice) for year in sorted(by_year)]

    async def latest_id(self) -> int | None:
        latest: int | None = await self.session.scalar(select(func.max(col(NoticeRow.id))))
        return latest

    async def add(
        self, notice: HolidayNotice, *, loaded_at: datetime, loaded_by: str, deadlines_moved: int
    ) -> StoredNotice:
        row = NoticeRow(
            year=notice.year,
            version=notice.version,
            document_number=notice.document_number,
            issued_on=notice.issued_on,
            notice=notice.model_dump(mode="json"),
            loaded_at=loaded_at,
            loaded_by=loaded_by,
            deadlines_moved=deadlines_moved,
        )
        self.session.add(row)
        await self.session.flush()
        assert row.id is not None
        return StoredNotice(row.id, notice, loaded_at, deadlines_moved)
