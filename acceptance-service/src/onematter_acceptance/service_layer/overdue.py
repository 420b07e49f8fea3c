"""The periodic legal-clock check: ``task.overdue-warning`` a working day before, ``task.overdue`` after.

Each is emitted at most once per task (flags ``warned`` / ``overdue`` set in the emitting transaction).
Several replicas may run it: rows are claimed with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two
replicas never warn about the same task (SQLite has one writer at a time anyway). Provisional deadlines
are recomputed each round, so an updated calendar file corrects them.
"""

from __future__ import annotations

import asyncio
import logging
import os
from datetime import date

from onematter_events import applications as ev
from sqlalchemy import or_, select

from onematter_acceptance.adapters.repository import AcceptanceUnitOfWork
from onematter_acceptance.adapters.tables import Application, Task
from onematter_acceptance.domain.applications import TaskStatus
from onematter_acceptance.domain.calendar import WorkCalendar, load_operator_calendar, pauses_from_json
from onematter_acceptance.service_layer.collaborators import Collaborators
from onematter_acceptance.service_layer.events import overdue_event

__all__ = ["check_overdue", "overdue_worker"]

log = logging.getLogger("onematter.acceptance.overdue")
BATCH = 200


async def check_overdue(deps: Collaborators, *, today: date | None = None) -> int:
    """One round; returns how many events it emitted."""
    today = today or deps.today()
    horizon = _next_workday(deps, today)
    async with deps.uow() as uow:
        emitted, refreshed = 0, set()
        for task, number in await _claim(uow, horizon):
            if _refresh_provisional(task, deps):
                refreshed.add(task.application_id)
            emitted += _alert(uow, task, number, today=today, horizon=horizon)
        for application_id in refreshed:
            await _follow_tasks(uow, application_id)
        await uow.commit()
    return emitted


async def _claim(uow: AcceptanceUnitOfWork, horizon: date) -> list[tuple[Task, str]]:
    """Running tasks due by ``horizon`` (or provisional), locked; rows another replica holds are skipped."""
    query = (
        select(Task, Application.acceptance_number)
        .join(Application, Application.id == Task.application_id)
        .where(
            Task.status == TaskStatus.in_progress,
            or_(Task.deadline_provisional.is_(True), (Task.deadline <= horizon) & (Task.overdue.is_(False))),
        )
        .order_by(Task.deadline)
        .limit(BATCH)
        .with_for_update(skip_locked=True, of=Task)
    )
    return [(task, number) for task, number in (await uow.session.execute(query)).all()]


def _alert(uow: AcceptanceUnitOfWork, task: Task, number: str, *, today: date, horizon: date) -> int:
    if task.deadline < today and not task.overdue:
        task.overdue = task.warned = True  # a task already late gets no late warning
        uow.emit(overdue_event(ev.TASK_OVERDUE, task, number))
        return 1
    if task.deadline <= horizon and not task.warned:
        task.warned = True
        uow.emit(overdue_event(ev.TASK_OVERDUE_WARNING, task, number))
        return 1
    return 0


async def _follow_tasks(uow: AcceptanceUnitOfWork, application_id: str) -> None:
    """The application's deadline follows its tasks."""
    application = await uow.session.get(Application, application_id)
    tasks = [t for t in await uow.tasks_of(application_id) if t.status != TaskStatus.cancelled]
    if application is not None and tasks:
        application.deadline = max(t.deadline for t in tasks)
        application.deadline_provisional = any(t.deadline_provisional for t in tasks)


def _next_workday(deps: Collaborators, day: date) -> date:
    return deps.calendar.add_working_days(day, 1)


def _refresh_provisional(task: Task, deps: Collaborators) -> bool:
    """Recompute a provisional deadline with the current calendar; True if it was provisional."""
    if not task.deadline_provisional:
        return False
    deadline = deps.calendar.deadline(
        start=task.started_on, working_days=task.committed_days, pauses=pauses_from_json(task.pauses)
    )
    task.deadline, task.deadline_provisional = deadline.due, deadline.provisional
    return True


async def overdue_worker(deps: Collaborators, *, interval: float, calendar_file: str | None = None) -> None:
    """Run :func:`check_overdue` every ``interval`` seconds until cancelled; a failed round is retried.

    When the operator calendar file changed since the last round it is reloaded first, so the round
    recomputes the provisional deadlines with the new data.
    """
    seen = _mtime(calendar_file)
    while True:
        try:
            if calendar_file and _mtime(calendar_file) != seen:
                seen = _mtime(calendar_file)
                deps.calendar = WorkCalendar(load_operator_calendar(calendar_file))
                log.info("operator calendar reloaded", extra={"file": calendar_file})
            await check_overdue(deps)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("overdue check failed", extra={"error": f"{type(exc).__name__}: {exc}"[:300]})
        await asyncio.sleep(interval)


def _mtime(path: str | None) -> float | None:
    try:
        return os.stat(path).st_mtime if path else None
    except OSError:
        return None
