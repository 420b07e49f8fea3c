"""效能监督: statistics per key matter and per department, and the rectifications bad reviews opened.

Every figure describes the applications **submitted** in the period (dates in China, both ends
inclusive, either end open); per department the unit is the task (one per service item). A rectification
is closed once, with a note; the close goes on the application's timeline, so the file shows the bad
review was handled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from onematter_kit.errors import NotFoundError

from onematter_acceptance.adapters.repository import Grouping
from onematter_acceptance.domain.reviews import Rectification
from onematter_acceptance.domain.statistics import (
    Period,
    StatisticsRow,
    department_names,
    matter_names,
    statistics_row,
)
from onematter_acceptance.service_layer.commands import CloseRectification
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = [
    "ListRectifications",
    "ReadStatistics",
    "Statistics",
    "close_rectification",
    "list_rectifications",
    "statistics",
]


async def close_rectification(cmd: CloseRectification, uow: AcceptanceUnitOfWork) -> Rectification:
    """404 if unknown, 409 if already closed."""
    async with uow:
        rectification = await uow.rectifications.get(cmd.rectification_id, lock=True)
        if rectification is None:
            raise NotFoundError(f"No rectification {cmd.rectification_id}.")
        uow.timeline.add(rectification.close(by=cmd.supervisor.subject, note=cmd.note, now=uow.clock.now()))
        await uow.commit()
    return rectification


@dataclass(frozen=True, kw_only=True)
class ListRectifications:
    limit: int
    offset: int
    department: str | None = None
    status: str | None = None


async def list_rectifications(
    query: ListRectifications, uow: AcceptanceUnitOfWork
) -> tuple[list[Rectification], int]:
    """Earliest due first; ``(page, total matching)``."""
    async with uow:
        return await uow.rectifications.page(
            department=query.department, status=query.status, limit=query.limit, offset=query.offset
        )


@dataclass(frozen=True)
class Statistics:
    items: list[StatisticsRow]
    generated_at: datetime


@dataclass(frozen=True)
class ReadStatistics:
    by: Grouping
    period: Period


async def statistics(query: ReadStatistics, uow: AcceptanceUnitOfWork) -> Statistics:
    """One row per key matter (or department) that is published — with zeros — or counted in the period;
    most applications first, then by code."""
    async with uow:
        figures = await uow.statistics.figures(query.by, query.period)
        bad = await uow.statistics.open_bad_reviews(query.by, query.period)
        matters = await uow.matters.latest()
    names = matter_names(matters) if query.by == "matter" else department_names(matters)
    codes = set(names) | set(figures) | set(bad)
    items = [statistics_row(c, names.get(c, c), figures.get(c), bad.get(c, 0)) for c in codes]
    items.sort(key=lambda r: (-r.applications, r.code))
    return Statistics(items=items, generated_at=uow.clock.now())
