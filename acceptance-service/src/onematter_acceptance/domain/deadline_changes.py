"""An application's deadlines after the calendar in force changed (an official holiday notice was loaded).

Issue 15: when the operator loads the State Council's notice for a year, every open task's deadline is
computed again under the new calendar — with :func:`onematter_acceptance.domain.clock.move_deadline`, the
same counting as everywhere else (no second copy) — and what moved is announced once. A task changes when
its due date or its provisional status differs from what is stored; it *moved* when its due date differs
(only then are the department and the applicant told). The application's deadline follows its latest task.

Pure: dates and calendars in, the change out; the caller stores the aggregate and emits the events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from onematter_workdays import DeadlineMove

from onematter_acceptance.domain.application import Application
from onematter_acceptance.domain.calendar import HolidayNotice, WorkCalendar
from onematter_acceptance.domain.clock import move_deadline
from onematter_acceptance.domain.task import Task
from onematter_acceptance.domain.timeline import SYSTEM

__all__ = ["DeadlineChange", "TaskMove", "follow_calendar", "reach"]


@dataclass(frozen=True)
class TaskMove:
    """One task's deadline: ``previous`` as stored before, ``move`` the computation before and after."""

    task: Task
    previous: date
    move: DeadlineMove

    @property
    def moved(self) -> bool:
        return self.previous != self.task.deadline


@dataclass(frozen=True)
class DeadlineChange:
    """What a new calendar changed in one application; ``previous`` is its deadline before."""

    application: Application
    previous: date
    tasks: tuple[TaskMove, ...]

    @property
    def moved(self) -> bool:
        """The application's own due date moved (the applicant is told)."""
        return self.previous != self.application.deadline

    @property
    def moved_tasks(self) -> tuple[TaskMove, ...]:
        """The tasks whose due date moved (their departments are told)."""
        return tuple(t for t in self.tasks if t.moved)

    @property
    def deciding(self) -> TaskMove:
        """The moved task that now decides the application's due date (its latest); any if none does."""
        latest = [t for t in self.tasks if t.task.deadline == self.application.deadline]
        return (latest or list(self.tasks))[0]


def reach(notice: HolidayNotice) -> tuple[date, date]:
    """``(due_from, started_by)``: only a deadline whose days ``[start, due]`` meet the notice's year or the
    December before it (where its 元旦 days may fall) can move — started by the year's end and due on or
    after 1 December of the year before."""
    return date(notice.year - 1, 12, 1), date(notice.year, 12, 31)


def follow_calendar(
    application: Application,
    *,
    before: WorkCalendar,
    after: WorkCalendar,
    notice: HolidayNotice,
    now: datetime,
) -> DeadlineChange | None:
    """Every open task's deadline under ``after``; ``None`` when nothing stored changes.

    ``before`` is the calendar the notice replaced (for the explanation: calendar sources before and after);
    the previous due date reported is the stored one. A moved application gets a ``deadline_changed``
    timeline entry naming the notice.
    """
    previous = application.deadline
    tasks = [m for t in application.tasks if t.is_open and (m := _follow(t, before, after)) is not None]
    if not tasks:
        return None
    application.follow_tasks()
    change = DeadlineChange(application, previous, tuple(tasks))
    if change.moved:
        application.record(
            actor=SYSTEM,
            kind="deadline_changed",
            at=now,
            previous_deadline=previous.isoformat(),
            deadline=application.deadline.isoformat(),
            notice={
                "year": notice.year,
                "document_number": notice.document_number,
                "version": notice.version,
            },
        )
    return change


def _follow(task: Task, before: WorkCalendar, after: WorkCalendar) -> TaskMove | None:
    """The task's deadline under ``after``; its move if the due date or its provisional status changed."""
    stored = task.deadline
    move = move_deadline(
        before, after, start=task.started_on, working_days=task.committed_days, pauses=task.pauses
    )
    if (move.after.due, move.after.provisional) == (stored, task.deadline_provisional):
        return None
    task.deadline, task.deadline_provisional = move.after.due, move.after.provisional
    return TaskMove(task, stored, move)
