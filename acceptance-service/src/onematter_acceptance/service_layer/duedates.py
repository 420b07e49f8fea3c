"""The periodic 补正 / 容缺 due-date round (issue 15): ``task.supplement-reminder`` before a due date,
``task.supplement-expired`` (and ``application.completed`` when that ended the last task) after it.

It runs in the overdue worker, after the overdue round, in a transaction of its own. Tasks are claimed
with ``FOR UPDATE SKIP LOCKED`` like the overdue check, so replicas never handle the same task; each
reminder is flagged in the emitting transaction and an expiry ends the task, so each event goes out at
most once per due date.
"""

from __future__ import annotations

from onematter_events import CloudEvent, new_event
from onematter_events import duedates as ev

from onematter_acceptance.domain.application import Application
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.due_round import check_due_dates as check_application
from onematter_acceptance.domain.duedates import DueAlert
from onematter_acceptance.domain.task import Task
from onematter_acceptance.service_layer import events
from onematter_acceptance.service_layer.commands import CheckDueDates
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["BATCH", "check_due_dates", "due_event"]

#: Tasks claimed per round; the rest wait for the next round.
BATCH = 200


async def check_due_dates(cmd: CheckDueDates, uow: AcceptanceUnitOfWork, *, calendar: WorkCalendar) -> int:
    """One round; returns how many due-date events it emitted. "Today" is the date in China."""
    async with uow:
        today = cmd.today or uow.clock.today()
        horizon = calendar.add_working_days(today, cmd.reminder_days)
        claimed = await uow.applications.claim_due_dates(today=today, horizon=horizon, limit=BATCH)
        emitted = 0
        for application, task_ids in claimed:
            done = check_application(
                application, task_ids, today=today, horizon=horizon, now=uow.clock.now(), calendar=calendar
            )
            for alert, task in done.alerts:
                uow.emit(due_event(alert, task, application))
            if done.completed:
                uow.emit(events.completed(application))
            emitted += len(done.alerts)
        await uow.commit()
    return emitted


def due_event(alert: DueAlert, task: Task, application: Application) -> CloudEvent:
    """The reminder, or the expiry with the task's reason and end instant, on the department's topic."""
    fields = {
        "task_id": task.id,
        "application_id": application.id,
        "acceptance_number": application.acceptance_number,
        "applicant_id": application.applicant_id,
        "item_code": task.item_code,
        "department": task.department,
        "due_for": alert.due_for,
        "materials": list(alert.materials),
        "due_on": alert.due_on,
        "consequence": alert.term.consequence,
        "basis": alert.term.basis,
    }
    if alert.step == "reminder":
        reminder = ev.TaskSupplementReminder.model_validate(fields)
        return new_event(ev.TASK_SUPPLEMENT_REMINDER, reminder, subject=application.acceptance_number)
    expired = ev.TaskSupplementExpired.model_validate(
        {**fields, "reason": task.reason, "ended_at": task.completed_at}
    )
    return new_event(ev.TASK_SUPPLEMENT_EXPIRED, expired, subject=application.acceptance_number)
