"""The acceptance unit of work: one transaction, the events it emits, and the repositories over it.

Handlers see :class:`AcceptanceUnitOfWork` only (the unit tests give them a fake of it): they enter it,
load through its repositories, call the domain, ``emit`` events and ``commit`` — or nothing happens.
``clock`` is the process's one clock: "now" and "today" (the date in China) come from it, never from the
system clock.
"""

from __future__ import annotations

from typing import Self

from onematter_clock import Clock
from onematter_kit.unit_of_work import AbstractUnitOfWork, SqlUnitOfWork

from onematter_acceptance.adapters.delegations import DelegationRepository, SqlDelegationRepository
from onematter_acceptance.adapters.notices import NoticeRepository, SqlNoticeRepository
from onematter_acceptance.adapters.repository import (
    ApplicationRepository,
    IdempotencyRepository,
    MatterRepository,
    RectificationRepository,
    ReviewRepository,
    StatisticsRepository,
    TimelineRepository,
)
from onematter_acceptance.adapters.sql_applications import SqlApplicationRepository
from onematter_acceptance.adapters.sql_records import (
    SqlIdempotencyRepository,
    SqlMatterRepository,
    SqlRectificationRepository,
    SqlReviewRepository,
    SqlTimelineRepository,
)
from onematter_acceptance.adapters.sql_statistics import SqlStatisticsRepository

__all__ = ["AcceptanceUnitOfWork", "SqlAcceptanceUnitOfWork"]


class AcceptanceUnitOfWork(AbstractUnitOfWork):
    """What a handler sees. The repositories exist between entering and leaving the ``async with`` block."""

    clock: Clock
    applications: ApplicationRepository
    matters: MatterRepository
    reviews: ReviewRepository
    rectifications: RectificationRepository
    timeline: TimelineRepository
    idempotency: IdempotencyRepository
    statistics: StatisticsRepository
    delegations: DelegationRepository
    notices: NoticeRepository


class SqlAcceptanceUnitOfWork(SqlUnitOfWork, AcceptanceUnitOfWork):
    """On SQL; the aggregates loaded or added are written back to their rows when it commits."""

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self._applications = SqlApplicationRepository(self.session)
        self._rectifications = SqlRectificationRepository(self.session)
        self.applications, self.rectifications = self._applications, self._rectifications
        self.matters = SqlMatterRepository(self.session)
        self.reviews = SqlReviewRepository(self.session)
        self.timeline = SqlTimelineRepository(self.session)
        self.idempotency = SqlIdempotencyRepository(self.session)
        self.statistics = SqlStatisticsRepository(self.session)
        self._delegations = SqlDelegationRepository(self.session)
        self.delegations = self._delegations
        self.notices = SqlNoticeRepository(self.session)
        return self

    async def commit(self) -> None:
        await self._applications.sync()
        self._rectifications.sync()
        self._delegations.sync()
        await super().commit()
