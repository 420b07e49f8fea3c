"""Loading an official holiday notice, and what it moves (issue 15).

The operator loads the State Council's notice for a year (国务院办公厅关于XXXX年部分节假日安排的通知)
through the admin API or the notices file (a seed). In ONE transaction, under the calendar lock: the notice
must be newer than the one in force for its year, every open deadline it can reach is computed again
(:func:`onematter_acceptance.domain.deadline_changes.follow_calendar`), the moved ones are stored and
announced (``application.deadline-changed``, ``task.deadline-changed``), and the notice is stored. A refused
notice changes nothing; loading the same notice again is refused (409), so nothing is announced twice —
whichever replica, however often. Every replica then rebuilds its calendar from the stored notices
(:mod:`onematter_acceptance.service_layer.calendar_sync`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from onematter_workdays import NoticeOutdated

from onematter_acceptance.adapters.notices import StoredNotice
from onematter_acceptance.domain.calendar import (
    HolidayNotice,
    NonWorkingDayRule,
    WorkCalendar,
    with_newer_notice,
)
from onematter_acceptance.domain.deadline_changes import follow_calendar, reach
from onematter_acceptance.service_layer.deadline_events import deadline_changed
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["FILE", "LoadNotice", "NoticeLoaded", "load_notice", "seed_notice"]

log = logging.getLogger("onematter.acceptance.notices")
#: ``loaded_by`` of the notices the operator's file seeded.
FILE = "file"


@dataclass(frozen=True)
class LoadNotice:
    """Load ``notice`` (validated already); ``loaded_by``: ``admin:<user id>`` or :data:`FILE`."""

    notice: HolidayNotice
    loaded_by: str


@dataclass(frozen=True)
class NoticeLoaded:
    """The stored notice, the calendar now in force, and how many applications' due dates it moved."""

    stored: StoredNotice
    calendar: WorkCalendar
    moved: int


async def load_notice(cmd: LoadNotice, uow: AcceptanceUnitOfWork, *, rule: NonWorkingDayRule) -> NoticeLoaded:
    """Store ``cmd.notice`` and move the deadlines it changes; raises ``NoticeOutdated`` (nothing changed)
    when a notice of its year with the same or a higher version is stored. ``rule``: the non-working-day
    acceptance rule of this service's calendar."""
    async with uow:
        await uow.notices.lock()
        before = WorkCalendar(await uow.notices.in_force(), rule=rule)
        after = with_newer_notice(before, cmd.notice)
        moved = await _recompute(uow, before=before, after=after, notice=cmd.notice)
        stored = await uow.notices.add(
            cmd.notice, loaded_at=uow.clock.now(), loaded_by=cmd.loaded_by, deadlines_moved=moved
        )
        await uow.commit()
    log.info("holiday notice loaded", extra={"year": cmd.notice.year, "version": cmd.notice.version})
    return NoticeLoaded(stored=stored, calendar=after, moved=moved)


async def _recompute(
    uow: AcceptanceUnitOfWork, *, before: WorkCalendar, after: WorkCalendar, notice: HolidayNotice
) -> int:
    """Every open deadline ``notice`` can reach, under ``after``; returns the applications that moved."""
    due_from, started_by = reach(notice)
    now, moved = uow.clock.now(), 0
    for application in await uow.applications.claim_open(due_from=due_from, started_by=started_by):
        change = follow_calendar(application, before=before, after=after, notice=notice, now=now)
        if change is not None:
            for event in deadline_changed(change, notice=notice, at=now):
                uow.emit(event)
            moved += change.moved
    return moved


async def seed_notice(notice: HolidayNotice, uow: AcceptanceUnitOfWork, *, rule: NonWorkingDayRule) -> bool:
    """A notice of the operator's file, loaded unless that version (or a newer one) is stored already —
    the file is read by every replica at start and on every change. True when it was loaded."""
    try:
        await load_notice(LoadNotice(notice, loaded_by=FILE), uow, rule=rule)
    except NoticeOutdated:
        return False
    return True
