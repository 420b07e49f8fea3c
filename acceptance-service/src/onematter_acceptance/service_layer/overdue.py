"""The periodic legal-clock check: ``task.overdue-warning`` a working day before, ``task.overdue`` after.

Each is emitted at most once per task (the flags are set in the emitting transaction). Several replicas
may run it: tasks are claimed with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two replicas never warn
about the same task (SQLite has one writer at a time anyway). Provisional deadlines are recomputed each
round. Each round first brings this replica's calendar up to date with the stored holiday notices
(:class:`~onematter_acceptance.service_layer.calendar_sync.CalendarSync`, which also stores a changed
notices file); whoever loads a notice moves and announces the deadlines it changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from onematter_kit.backoff import Backoff, run_forever

from onematter_acceptance.adapters.calendar_file import CalendarFile
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.service_layer import events
from onematter_acceptance.service_layer.calendar_sync import CalendarSync
from onematter_acceptance.service_layer.collaborators import Collaborators
from onematter_acceptance.service_layer.commands import CheckDueDates, CheckOverdue
from onematter_acceptance.service_layer.duedates import check_due_dates
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["BATCH", "check_overdue", "overdue_worker"]

log = logging.getLogger("onematter.acceptance.overdue")
#: Tasks claimed per round; the rest wait for the next round.
BATCH = 200


async def check_overdue(cmd: CheckOverdue, uow: AcceptanceUnitOfWork, *, calendar: WorkCalendar) -> int:
    """One round; returns how many events it emitted. "Today" is the date in China."""
    async with uow:
        today = cmd.today or uow.clock.today()
        horizon = calendar.add_working_days(today, 1)
        emitted = 0
        for application, task_ids in await uow.applications.claim_due(horizon=horizon, limit=BATCH):
            alerts = application.check_clock(task_ids, today=today, horizon=horizon, calendar=calendar)
            for alert, task in alerts:
                uow.emit(events.overdue(alert, task, application))
            emitted += len(alerts)
        await uow.commit()
    return emitted


async def overdue_worker(
    uow: Callable[[], AcceptanceUnitOfWork],
    collaborators: Collaborators,
    *,
    interval: float,
    calendar_file: CalendarFile,
    reminder_days: int = 1,
) -> None:
    """Run :func:`check_overdue`, then the 补正 / 容缺 due-date round (:func:`check_due_dates`, reminding
    ``reminder_days`` working days ahead), every ``interval`` seconds until cancelled; a failed round is
    retried with backoff. The calendar is synchronised with the stored notices first (and a changed notices
    file stored), so both rounds count with the calendar in force."""
    sync = CalendarSync(calendar_file, uow, collaborators)

    async def round_() -> None:
        await sync()
        await check_overdue(CheckOverdue(), uow(), calendar=collaborators.calendar)
        due_dates = CheckDueDates(reminder_days=reminder_days)
        await check_due_dates(due_dates, uow(), calendar=collaborators.calendar)

    backoff = Backoff(initial=min(1.0, interval), maximum=interval)
    await run_forever(round_, every=interval, backoff=backoff, log=log, what="overdue check failed")
