"""The application (办件): one submission, one acceptance number, one task per service item (并联办理).

The aggregate carries every state transition after acceptance (acceptance itself is
:mod:`onematter_acceptance.domain.acceptance`): 补正 requested and answered, tasks decided, 办结 once no task
is open (all approved → ``completed``, any rejected → ``completed_with_rejections``), withdrawal, the review
(好差评) and the overdue check. Each transition appends its entry to the timeline (``new_entries``) and
takes "now" as an aware instant; the legal clock's days are the dates in China (``china_date``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from onematter_clock import china_date
from onematter_events.applications import MaterialReference

from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.clock import due_after
from onematter_acceptance.domain.errors import NotPossibleNow
from onematter_acceptance.domain.reviews import (
    RECTIFICATION_WORKING_DAYS,
    Rectification,
    Review,
    is_bad,
    level_label,
)
from onematter_acceptance.domain.statistics import ending
from onematter_acceptance.domain.supplement import Demand, Resumed, merge_supplement, resume_ready
from onematter_acceptance.domain.task import Alert, Decision, Task, TaskStatus
from onematter_acceptance.domain.timeline import SYSTEM, TimelineEntry

__all__ = ["Application", "ApplicationStatus", "Rejection"]

FieldError = dict[str, str]


class ApplicationStatus:
    in_progress = "in_progress"
    waiting_supplement = "waiting_supplement"
    completed = "completed"
    completed_with_rejections = "completed_with_rejections"
    withdrawn = "withdrawn"
    ENDED = frozenset({completed, completed_with_rejections, withdrawn})
    DONE = frozenset({completed, completed_with_rejections})


@dataclass(frozen=True)
class Rejection:
    task_id: str
    item_code: str
    department: str
    reason: str


@dataclass
class Application:
    id: str
    acceptance_number: str
    matter_code: str
    matter_version: int
    lead_department: str
    applicant_id: str
    submitted_by: str
    channel: str
    form: dict[str, Any]
    materials: dict[str, MaterialReference]
    accepted_at: datetime
    deadline: date
    tasks: list[Task]
    deadline_provisional: bool = False
    status: str = ApplicationStatus.in_progress
    deferred_materials: list[str] = field(default_factory=list)
    supplement_due: date | None = None
    #: The open merged 补正 request: material type → demand.
    open_supplement: dict[str, Demand] = field(default_factory=dict)
    completed_at: datetime | None = None
    rejections: list[Rejection] = field(default_factory=list)
    #: Set at 办结 (None before, and for a withdrawn application): finished by its deadline?
    on_time: bool | None = None
    #: Set at 办结: working days from acceptance to completion on the legal calendar.
    handling_working_days: int | None = None
    #: Materials not handed in thanks to a licence held or an earlier material (少交材料).
    materials_avoided: int = 0
    #: Timeline entries of this unit of work, not yet stored.
    new_entries: list[TimelineEntry] = field(default_factory=list, compare=False)

    @property
    def accepted_on(self) -> date:
        """The acceptance day in China: day 0 of every task's legal clock."""
        day: date = china_date(self.accepted_at)
        return day

    def task(self, task_id: str) -> Task | None:
        return next((t for t in self.tasks if t.id == task_id), None)

    def has_task_of(self, department: str) -> bool:
        return any(t.department == department for t in self.tasks)

    def record(self, *, actor: str, kind: str, at: datetime, **detail: Any) -> None:
        self.new_entries.append(TimelineEntry(self.id, at, actor, kind, detail))

    def require_running(self) -> None:
        if self.status in ApplicationStatus.ENDED:
            raise NotPossibleNow(f"The application is {self.status}.")

    def request_supplement(
        self,
        task: Task,
        *,
        materials: list[str],
        reason: str,
        officer_id: str,
        now: datetime,
        due: date | None = None,
    ) -> None:
        """补正: ``task`` waits until ``due``, its clock pauses, the applicant's merged request grows."""
        task.pause(materials, today=china_date(now), due=due)
        self.open_supplement = merge_supplement(
            self.open_supplement,
            materials=materials,
            reason=reason,
            department=task.department,
            task_id=task.id,
        )
        self.status = ApplicationStatus.waiting_supplement
        self.record(
            actor=officer_id,
            kind="supplement_requested",
            at=now,
            task_id=task.id,
            department=task.department,
            materials=task.requested_materials,
            reason=reason,
            due_on=due.isoformat() if due else None,
        )

    def supplement_problems(self, supplied: Collection[str]) -> list[FieldError]:
        """What is wrong with handing in ``supplied`` material types now (409 once the application ended)."""
        self.require_running()
        wanted = set(self.open_supplement) | set(self.deferred_materials)
        errors = [
            {"field": f"materials.{k}", "message": "was not requested"} for k in supplied if k not in wanted
        ]
        if not supplied:
            errors.append({"field": "materials", "message": "name at least one material"})
        return errors

    def answer_supplement(
        self, supplied: Mapping[str, str], *, actor: str, now: datetime, calendar: WorkCalendar
    ) -> list[Resumed]:
        """Requested (补正) or deferred (容缺) materials handed in; only tasks no longer waiting resume."""
        self.require_running()
        refs = {k: MaterialReference(material_type=k, material_id=v) for k, v in supplied.items()}
        self.materials = {**self.materials, **refs}
        self.open_supplement = {k: v for k, v in self.open_supplement.items() if k not in supplied}
        self.deferred_materials = [k for k in self.deferred_materials if k not in supplied]
        for task in self.tasks:
            task.replace_materials(refs)
        resumed = resume_ready(
            self.tasks, supplied, outstanding=self.open_supplement, today=china_date(now), calendar=calendar
        )
        if not any(t.status == TaskStatus.waiting_supplement for t in self.tasks):
            self.status = ApplicationStatus.in_progress
        self.follow_tasks()
        ids = [r.task_id for r in resumed]
        self.record(
            actor=actor, kind="supplement_received", at=now, materials=sorted(supplied), resumed_task_ids=ids
        )
        return resumed

    def decide(
        self, task: Task, decision: Decision, *, officer_id: str, now: datetime, calendar: WorkCalendar
    ) -> bool:
        """The officer's decision on ``task``; True when it completed the application (办结).

        Raises :class:`NotPossibleNow` for an approval while a material the task's item needs is still
        deferred (容缺, issue 15), unless the item's term for it allows deciding before it arrives.
        """
        pending = [
            m
            for m in self.deferred_materials
            if m in task.requestable_materials and not task.terms.may_decide_without(m)
        ]
        if decision.outcome == "approved" and pending:
            raise NotPossibleNow(
                f"A material this task needs is still deferred (容缺): {', '.join(pending)}."
                " Approve once it is handed in."
            )
        task.decide(decision, officer_id=officer_id, now=now, calendar=calendar)
        self.record(
            actor=officer_id,
            kind=f"task_{decision.outcome}",
            at=now,
            task_id=task.id,
            department=task.department,
            item_code=task.item_code,
            reason=decision.reason,
            licence_type=task.licence_type,
        )
        return self.complete_if_done(now=now, calendar=calendar)

    def complete_if_done(self, *, now: datetime, calendar: WorkCalendar) -> bool:
        """办结 once no live task is open; a task not approved (rejected, or ended by a due date) is listed
        among the rejections with its reason. True when this call completed the application."""
        live = [t for t in self.tasks if t.status != TaskStatus.cancelled]
        if not live or any(t.is_open for t in live):
            return False
        self.rejections = [
            Rejection(t.id, t.item_code, t.department, t.reason or "")
            for t in live
            if t.status in TaskStatus.NOT_APPROVED
        ]
        self.status = (
            ApplicationStatus.completed_with_rejections if self.rejections else ApplicationStatus.completed
        )
        self.completed_at = now
        end = ending(
            accepted_on=self.accepted_on, ended_on=china_date(now), deadline=self.deadline, calendar=calendar
        )
        self.on_time, self.handling_working_days = end.on_time, end.handling_working_days
        rejections = [vars(r).copy() for r in self.rejections]
        self.record(actor=SYSTEM, kind=self.status, at=now, rejections=rejections)
        return True

    def withdraw(self, *, actor: str, now: datetime) -> list[Task]:
        """Before 办结 only; the open tasks are cancelled (and returned, so their departments can be told)."""
        if self.status in ApplicationStatus.ENDED:
            raise NotPossibleNow(f"The application is already {self.status}.")
        cancelled = [t for t in self.tasks if t.is_open]
        for task in cancelled:
            task.cancel()
        self.status, self.completed_at = ApplicationStatus.withdrawn, now
        self.record(actor=actor, kind="withdrawn", at=now, cancelled_task_ids=[t.id for t in cancelled])
        return cancelled

    def review(
        self,
        *,
        level: int,
        comment: str,
        reviewer: str,
        earlier: Review | None,
        now: datetime,
        calendar: WorkCalendar,
    ) -> tuple[Review, Rectification | None]:
        """好差评, once, after 办结; a bad review (1–2) opens a rectification for the lead department."""
        if self.status not in ApplicationStatus.DONE:
            raise NotPossibleNow("An application can be reviewed only after it is completed.")
        if earlier is not None:
            raise NotPossibleNow("This application has already been reviewed.")
        review = Review(self.id, reviewer, level, level_label(level), comment, is_bad(level), now)
        rectification = None
        if review.bad:
            due = due_after(calendar, china_date(now), RECTIFICATION_WORKING_DAYS)
            rectification = Rectification.for_review(
                review, acceptance_number=self.acceptance_number, department=self.lead_department, due=due
            )
        self.record(actor=reviewer, kind="reviewed", at=now, level=level, label=review.label)
        return review, rectification

    def check_clock(
        self, task_ids: Collection[str], *, today: date, horizon: date, calendar: WorkCalendar
    ) -> list[tuple[Alert, Task]]:
        """The overdue check for the running tasks ``task_ids`` (claimed by this check, no other).

        A provisional deadline is recomputed first with the current calendar (a year may have become
        official); then each task is warned due by ``horizon`` or flagged overdue after its deadline, once.
        """
        alerts: list[tuple[Alert, Task]] = []
        for task in (t for t in self.tasks if t.id in task_ids and t.status == TaskStatus.in_progress):
            if task.deadline_provisional:
                task.recompute_deadline(calendar)
            alert = task.alert(today=today, horizon=horizon)
            if alert is not None:
                alerts.append((alert, task))
        self.follow_tasks()
        return alerts

    def follow_tasks(self) -> None:
        """The application's deadline is its latest task's (cancelled tasks aside)."""
        live = [t for t in self.tasks if t.status != TaskStatus.cancelled]
        if live:
            self.deadline = max(t.deadline for t in live)
            self.deadline_provisional = any(t.deadline_provisional for t in live)
