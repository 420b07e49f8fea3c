"""The due-date round on one application (issue 15): reminders, then the item's consequence.

For each task claimed by the round (see :mod:`onematter_acceptance.domain.duedates` for the rule): a 补正 or
容缺 due date within the reminder horizon gives one reminder; one that passed unanswered ends the task with
the item's consequence (不予受理 / 终止办理) and reason, closes its pause on the due date, and drops the task
from the applicant's open 补正 request. Every step is in the timeline; the last task ending completes the
application (办结), listing the ended task among the ones not passed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from onematter_events.matters import DueTerm

from onematter_acceptance.domain.application import Application, ApplicationStatus
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.duedates import DueAlert, DueKind
from onematter_acceptance.domain.supplement import Demand
from onematter_acceptance.domain.task import Task, TaskStatus
from onematter_acceptance.domain.timeline import SYSTEM

__all__ = ["DueDate", "DueRound", "check_due_dates", "due_dates"]


@dataclass
class DueRound:
    """What the round did to one application: each step with its task, and whether it completed it."""

    alerts: list[tuple[DueAlert, Task]] = field(default_factory=list)
    completed: bool = False


def check_due_dates(
    application: Application,
    task_ids: Collection[str],
    *,
    today: date,
    horizon: date,
    now: datetime,
    calendar: WorkCalendar,
) -> DueRound:
    """The round for the tasks ``task_ids`` of ``application`` (claimed by this round, no other)."""
    result = DueRound()
    for task in (t for t in application.tasks if t.id in task_ids and t.is_open):
        for alert in task.check_due(today=today, horizon=horizon):
            if alert.step == "expired":
                task.end_unanswered(alert, now=now, calendar=calendar)
                _forget_request_of(application, task.id)
            _record(application, alert, task, at=now)
            result.alerts.append((alert, task))
    if result.alerts:
        if application.status == ApplicationStatus.waiting_supplement and not any(
            t.status == TaskStatus.waiting_supplement for t in application.tasks
        ):
            application.status = ApplicationStatus.in_progress
        application.follow_tasks()
        result.completed = application.complete_if_done(now=now, calendar=calendar)
    return result


def _forget_request_of(application: Application, task_id: str) -> None:
    """An ended task asks for nothing any more: a material only it asked for (补正) leaves the open request,
    and a deferred (容缺) material no open task needs is no longer awaited."""
    kept: dict[str, Demand] = {}
    for kind, demand in application.open_supplement.items():
        task_ids = tuple(t for t in demand.task_ids if t != task_id)
        if task_ids:
            kept[kind] = Demand(demand.reasons, demand.departments, task_ids)
    application.open_supplement = kept
    needed = {m for t in application.tasks if t.is_open for m in t.requestable_materials}
    application.deferred_materials = [m for m in application.deferred_materials if m in needed]


def _record(application: Application, alert: DueAlert, task: Task, *, at: datetime) -> None:
    """``supplement_reminder`` / ``supplement_expired`` / ``deferred_reminder`` / ``deferred_expired``."""
    application.record(
        actor=SYSTEM,
        kind=f"{alert.due_for}_{alert.step}",
        at=at,
        task_id=task.id,
        department=task.department,
        item_code=task.item_code,
        materials=list(alert.materials),
        due_on=alert.due_on.isoformat(),
        consequence=alert.term.consequence,
        reason=alert.reason if alert.step == "expired" else None,
    )


DueState = Literal["open", "answered", "expired"]


@dataclass(frozen=True)
class DueDate:
    """One 补正 or 容缺 due date of a task, for its deadline explanation: ``state`` is ``open``,
    ``answered`` (handed in, or the pause ended otherwise) or ``expired`` (it ended the task)."""

    due_for: DueKind
    due_on: date
    materials: tuple[str, ...]
    term: DueTerm
    state: DueState


def due_dates(task: Task) -> list[DueDate]:
    """Every due date the task had: its 补正 pauses' (in order), then its deferred materials'."""
    ended = task.status in (TaskStatus.not_accepted, TaskStatus.terminated)
    found = []
    for index, pause in enumerate(task.pauses):
        if pause.due is None:
            continue
        last = index == len(task.pauses) - 1
        expired = ended and last and pause.end == pause.due
        state: DueState = "open" if pause.is_open else "expired" if expired else "answered"
        materials = tuple(task.requested_materials) if last else ()
        found.append(DueDate("supplement", pause.due, materials, task.terms.supplement, state))
    pending = set(task.pending_deferred)
    for kind, due in sorted(task.deferral_dues.items(), key=lambda pair: pair[1]):
        deferred: DueState = ("expired" if ended else "open") if kind in pending else "answered"
        found.append(DueDate("deferred", due, (kind,), task.terms.deferral_for(kind), deferred))
    return found
