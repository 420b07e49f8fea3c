"""Supervisor statistics (效能监督) as a few ``GROUP BY`` queries, on PostgreSQL and SQLite alike.

The period is of submission dates in China: an application counts from the instant its day began in
Beijing (``00:00+08:00``); a task from its ``started_on`` date (already the date in China).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from onematter_kit.clock import CHINA_TZ
from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from onematter_acceptance.adapters.repository import Grouping, StatisticsRepository
from onematter_acceptance.adapters.tables import ApplicationRow, RectificationRow, TaskRow
from onematter_acceptance.domain.application import ApplicationStatus
from onematter_acceptance.domain.reviews import RectificationStatus
from onematter_acceptance.domain.statistics import Figures, Period
from onematter_acceptance.domain.task import TaskStatus

__all__ = ["SqlStatisticsRepository"]

_APP_DONE = tuple(ApplicationStatus.DONE)
_APP_OPEN = (ApplicationStatus.in_progress, ApplicationStatus.waiting_supplement)
#: Ended tasks, also those a 补正 / 容缺 due date ended (不予受理 / 终止办理): none drops out.
_TASK_DONE = (TaskStatus.approved, *sorted(TaskStatus.NOT_APPROVED))
_TASK_OPEN = tuple(TaskStatus.OPEN)


def _submitted_in(period: Period) -> list[Any]:
    """Applications accepted on a date of ``period`` in China."""
    where = []
    if period.start:
        where.append(col(ApplicationRow.accepted_at) >= datetime.combine(period.start, time.min, CHINA_TZ))
    if period.end:
        after = datetime.combine(period.end + timedelta(days=1), time.min, CHINA_TZ)
        where.append(col(ApplicationRow.accepted_at) < after)
    return where


def _started_in(period: Period) -> list[Any]:
    """Tasks start on their application's acceptance day (``started_on``), so no join is needed."""
    where = []
    if period.start:
        where.append(col(TaskRow.started_on) >= period.start)
    if period.end:
        where.append(col(TaskRow.started_on) <= period.end)
    return where


def _aggregates(table: Any, *, done: tuple[str, ...], running: tuple[str, ...]) -> list[Any]:
    return [
        func.count().label("applications"),
        func.sum(case((table.status.in_(done), 1), else_=0)).label("completed"),
        func.sum(case((table.status.in_(running), 1), else_=0)).label("in_progress"),
        func.sum(case((table.on_time.is_(True), 1), else_=0)).label("on_time"),
        func.avg(table.handling_working_days).label("average_days"),
        func.sum(table.materials_avoided).label("materials_avoided"),
    ]


def _figures(row: Any) -> Figures:
    return Figures(
        applications=int(row.applications),
        completed=int(row.completed or 0),
        in_progress=int(row.in_progress or 0),
        on_time=int(row.on_time or 0),
        average_days=None if row.average_days is None else float(row.average_days),
        materials_avoided=int(row.materials_avoided or 0),
    )


class SqlStatisticsRepository(StatisticsRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def figures(self, by: Grouping, period: Period) -> dict[str, Figures]:
        if by == "matter":
            key, where = col(ApplicationRow.matter_code), _submitted_in(period)
            columns = _aggregates(ApplicationRow, done=_APP_DONE, running=_APP_OPEN)
        else:
            key, where = col(TaskRow.department), _started_in(period)
            columns = _aggregates(TaskRow, done=_TASK_DONE, running=_TASK_OPEN)
        rows = await self.session.execute(select(key, *columns).where(*where).group_by(key))
        return {row[0]: _figures(row) for row in rows}

    async def open_bad_reviews(self, by: Grouping, period: Period) -> dict[str, int]:
        key = col(ApplicationRow.matter_code) if by == "matter" else col(RectificationRow.department)
        rows = await self.session.execute(
            select(key, func.count())
            .select_from(RectificationRow)
            .join(ApplicationRow, col(ApplicationRow.id) == col(RectificationRow.application_id))
            .where(col(RectificationRow.status) == RectificationStatus.open, *_submitted_in(period))
            .group_by(key)
        )
        return {code: int(n) for code, n in rows.all()}
