"""Supervisor statistics (效能监督) per key matter and per department, computed by SQL aggregates.

Every figure describes the applications **submitted** in the period (``from``..``to``, inclusive UTC dates,
either end open): a period's applications, how many of them ended (办结) and on time, their average
handling time in working days, the materials they avoided (少交材料) and their open bad reviews (差评
whose rectification is still open). Per department the unit is the task (one per service item).

The figures come from columns recorded when an application is accepted or ends (see
:mod:`onematter_acceptance.domain.statistics`), so nothing here loads rows one by one; it runs as a few
``GROUP BY`` queries on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, func, select

from onematter_acceptance.adapters.repository import AcceptanceUnitOfWork
from onematter_acceptance.adapters.tables import Application, MatterCopy, Rectification, Task
from onematter_acceptance.domain.applications import ApplicationStatus, TaskStatus
from onematter_acceptance.domain.statistics import rate
from onematter_acceptance.service_layer.collaborators import Collaborators

__all__ = ["Period", "department_statistics", "matter_statistics"]

_APP_DONE = (ApplicationStatus.completed, ApplicationStatus.completed_with_rejections)
_APP_OPEN = (ApplicationStatus.in_progress, ApplicationStatus.waiting_supplement)
_TASK_DONE = (TaskStatus.approved, TaskStatus.rejected)
_TASK_OPEN = tuple(TaskStatus.OPEN)


@dataclass(frozen=True)
class Period:
    """Submission dates, both inclusive; ``None`` leaves that end open."""

    start: date | None = None
    end: date | None = None

    def applications(self) -> list[Any]:
        where = []
        if self.start:
            where.append(Application.accepted_at >= datetime.combine(self.start, time.min, UTC))
        if self.end:
            after = datetime.combine(self.end + timedelta(days=1), time.min, UTC)
            where.append(Application.accepted_at < after)
        return where

    def tasks(self) -> list[Any]:
        """Tasks start on their application's acceptance day (``started_on``), so no join is needed."""
        where = []
        if self.start:
            where.append(Task.started_on >= self.start)
        if self.end:
            where.append(Task.started_on <= self.end)
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


def _row(code: str, name: str, figures: Any, open_bad_reviews: int) -> dict[str, Any]:
    completed = int(figures.completed or 0) if figures else 0
    on_time = int(figures.on_time or 0) if figures else 0
    average = figures.average_days if figures else None
    return {
        "code": code,
        "name": name,
        "applications": int(figures.applications) if figures else 0,
        "completed": completed,
        "in_progress": int(figures.in_progress or 0) if figures else 0,
        "on_time": on_time,
        "on_time_rate": rate(on_time, completed),
        "average_handling_working_days": None if average is None else round(float(average), 2),
        "materials_avoided": int(figures.materials_avoided or 0) if figures else 0,
        "open_bad_reviews": open_bad_reviews,
    }


async def _latest_matters(uow: AcceptanceUnitOfWork) -> list[dict[str, Any]]:
    """The latest received version of every matter (a retired one too: its applications still count)."""
    latest = (
        select(MatterCopy.matter_code, func.max(MatterCopy.version).label("version"))
        .group_by(MatterCopy.matter_code)
        .subquery()
    )
    rows = await uow.session.execute(
        select(MatterCopy.payload, MatterCopy.retired).join(
            latest,
            (MatterCopy.matter_code == latest.c.matter_code) & (MatterCopy.version == latest.c.version),
        )
    )
    return [{**payload, "retired": retired} for payload, retired in rows.all()]


async def _open_bad_reviews(uow: AcceptanceUnitOfWork, group: Any, period: Period) -> dict[str, int]:
    rows = await uow.session.execute(
        select(group, func.count())
        .select_from(Rectification)
        .join(Application, Application.id == Rectification.application_id)
        .where(Rectification.status == "open", *period.applications())
        .group_by(group)
    )
    return {code: int(n) for code, n in rows.all()}


@dataclass(frozen=True)
class _Grouping:
    """What one table of figures is grouped by: the unit's table and key, and the rectifications' key."""

    table: Any
    key: Any
    done: tuple[str, ...]
    running: tuple[str, ...]
    bad_review_key: Any


_BY_MATTER = _Grouping(Application, Application.matter_code, _APP_DONE, _APP_OPEN, Application.matter_code)
_BY_DEPARTMENT = _Grouping(Task, Task.department, _TASK_DONE, _TASK_OPEN, Rectification.department)


async def _figures(
    grouping: _Grouping, period: Period, deps: Collaborators, names: Callable[[list[dict[str, Any]]], dict]
) -> dict[str, Any]:
    """One row per code named by ``names`` (the published matters' codes, with zeros) or counted."""
    where = period.applications() if grouping.table is Application else period.tasks()
    async with deps.uow() as uow:
        rows = await uow.session.execute(
            select(grouping.key, *_aggregates(grouping.table, done=grouping.done, running=grouping.running))
            .where(*where)
            .group_by(grouping.key)
        )
        figures = {row[0]: row for row in rows}
        bad = await _open_bad_reviews(uow, grouping.bad_review_key, period)
        known = names([m for m in await _latest_matters(uow) if not m["retired"]])
    codes = set(known) | set(figures) | set(bad)
    items = [_row(c, known.get(c, c), figures.get(c), bad.get(c, 0)) for c in codes]
    items.sort(key=lambda r: (-r["applications"], r["code"]))
    return {"items": items, "generated_at": deps.now().isoformat()}


def _matter_names(matters: list[dict[str, Any]]) -> dict[str, str]:
    return {m["matter_code"]: m["name_zh"] for m in matters}


def _department_names(matters: list[dict[str, Any]]) -> dict[str, str]:
    """Department code → name, from the published matters (code when the catalog sent no name)."""
    names: dict[str, str] = {}
    for matter in matters:
        names.setdefault(matter["lead_department"], matter["lead_department"])
        for item in matter.get("items", []):
            names[item["department"]] = item.get("department_name_zh") or names.get(
                item["department"], item["department"]
            )
    return names


async def matter_statistics(period: Period, deps: Collaborators) -> dict[str, Any]:
    """One row per key matter that is published (with zeros) or has applications in the period."""
    return await _figures(_BY_MATTER, period, deps, _matter_names)


async def department_statistics(period: Period, deps: Collaborators) -> dict[str, Any]:
    """One row per department of a published matter or with tasks in the period; the unit is the task."""
    return await _figures(_BY_DEPARTMENT, period, deps, _department_names)
