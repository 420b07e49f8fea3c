"""The events of a deadline moved by a holiday notice (payloads in ``onematter_events.deadlines``).

One ``application.deadline-changed`` when the application's own due date moved (for the applicant), and
one ``task.deadline-changed`` per task whose due date moved, to that task's department only.
"""

from __future__ import annotations

from datetime import datetime

from onematter_events import CloudEvent, new_event
from onematter_events import deadlines as ev

from onematter_acceptance.domain.calendar import HolidayNotice
from onematter_acceptance.domain.deadline_changes import DeadlineChange, TaskMove

__all__ = ["deadline_changed"]


def deadline_changed(change: DeadlineChange, *, notice: HolidayNotice, at: datetime) -> list[CloudEvent]:
    """The events of ``change``: the application's (if its due date moved), then each moved task's."""
    ref = ev.NoticeRef(year=notice.year, document_number=notice.document_number, version=notice.version)
    found = [_task(moved, change, ref, at) for moved in change.moved_tasks]
    if change.moved:
        found.insert(0, _application(change, ref, at))
    return found


def _application(change: DeadlineChange, ref: ev.NoticeRef, at: datetime) -> CloudEvent:
    application = change.application
    tasks = [
        ev.MovedTask(
            task_id=m.task.id,
            item_code=m.task.item_code,
            department=m.task.department,
            previous_deadline=m.previous,
            deadline=m.task.deadline,
        )
        for m in change.moved_tasks
    ]
    payload = ev.ApplicationDeadlineChanged(
        application_id=application.id,
        acceptance_number=application.acceptance_number,
        applicant_id=application.applicant_id,
        matter_code=application.matter_code,
        previous_deadline=change.previous,
        deadline=application.deadline,
        deadline_provisional=application.deadline_provisional,
        notice=ref,
        tasks=tasks,
        explanation=change.deciding.move.explain(),
        changed_at=at,
    )
    return new_event(ev.APPLICATION_DEADLINE_CHANGED, payload, subject=application.acceptance_number)


def _task(moved: TaskMove, change: DeadlineChange, ref: ev.NoticeRef, at: datetime) -> CloudEvent:
    task, application = moved.task, change.application
    payload = ev.TaskDeadlineChanged(
        task_id=task.id,
        application_id=application.id,
        acceptance_number=application.acceptance_number,
        item_code=task.item_code,
        department=task.department,
        previous_deadline=moved.previous,
        deadline=task.deadline,
        deadline_provisional=task.deadline_provisional,
        notice=ref,
        explanation=moved.move.explain(),
        changed_at=at,
    )
    return new_event(ev.TASK_DEADLINE_CHANGED, payload, subject=application.acceptance_number)
