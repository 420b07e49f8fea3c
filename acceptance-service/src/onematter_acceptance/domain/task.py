"""A task (一事项一任务): one service item of an application, handled by one department (并联办理).

The task owns its share of the legal clock: its start (the acceptance day in China), its committed working
days, its pauses for 补正, and its deadline, which only :mod:`onematter_acceptance.domain.clock` computes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from onematter_clock import china_date
from onematter_events.applications import MaterialReference

from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.clock import Deadline, Pause, compute_deadline, working_days_left
from onematter_acceptance.domain.duedates import DueAlert, ItemTerms, step_on
from onematter_acceptance.domain.errors import NotPossibleNow
from onematter_acceptance.domain.statistics import ending

__all__ = ["Alert", "Decision", "Task", "TaskStatus"]

Outcome = Literal["approved", "rejected"]
Alert = Literal["overdue", "overdue-warning"]


class TaskStatus:
    in_progress = "in_progress"
    waiting_supplement = "waiting_supplement"
    approved = "approved"
    rejected = "rejected"
    cancelled = "cancelled"
    #: Ended by the platform when a 补正 or 容缺 due date passed unanswered, as the item says (issue 15).
    not_accepted = "not_accepted"  # 不予受理
    terminated = "terminated"  # 终止办理
    OPEN = frozenset({in_progress, waiting_supplement})
    #: Ended without approval: what the applicant reads as "not passed" at 办结.
    NOT_APPROVED = frozenset({rejected, not_accepted, terminated})


@dataclass(frozen=True)
class Decision:
    """An officer's decision; an approval may name the electronic licence (电子证照) it issues."""

    outcome: Outcome
    reason: str | None = None
    licence_type: str | None = None
    licence_number: str | None = None


@dataclass
class Task:
    id: str
    application_id: str
    item_code: str
    item_name_zh: str
    department: str
    committed_days: int
    started_on: date
    deadline: date
    form: dict[str, Any]
    materials: list[MaterialReference]
    deadline_provisional: bool = False
    verify_after_commitment: bool = False
    issues_licence: str | None = None
    status: str = TaskStatus.in_progress
    pauses: list[Pause] = field(default_factory=list)
    requested_materials: list[str] = field(default_factory=list)
    reason: str | None = None
    licence_type: str | None = None
    licence_number: str | None = None
    officer_id: str | None = None
    completed_at: datetime | None = None
    warned: bool = False
    overdue: bool = False
    on_time: bool | None = None
    handling_working_days: int | None = None
    materials_avoided: int = 0
    #: The item's 补正 and 容缺 terms, copied at acceptance.
    terms: ItemTerms = field(default_factory=ItemTerms)
    #: The open 补正 request's due date (the open pause's ``due``, kept as a column the round can find).
    supplement_due_on: date | None = None
    supplement_reminded: bool = False
    #: Each deferred (容缺) material's due date, set at acceptance; ``deferral_due``: the earliest of those
    #: still missing (None once all arrived).
    deferral_dues: dict[str, date] = field(default_factory=dict)
    deferral_due: date | None = None
    deferral_reminded: bool = False

    @property
    def is_open(self) -> bool:
        return self.status in TaskStatus.OPEN

    def require(self, *statuses: str) -> None:
        """Raise :class:`NotPossibleNow` unless the task is in one of ``statuses``."""
        if self.status not in statuses:
            raise NotPossibleNow(f"The task is {self.status}; this action is not possible now.")

    def live_deadline(self, calendar: WorkCalendar, today: date) -> Deadline:
        """The deadline as it stands today: an open 补正 pause keeps moving it."""
        return compute_deadline(
            calendar, start=self.started_on, working_days=self.committed_days, pauses=self.pauses, today=today
        )

    def days_left(self, calendar: WorkCalendar, *, today: date, due: date) -> int | None:
        """Working days left to ``due`` while the task is open; ``None`` once it ended."""
        return working_days_left(calendar, today=today, due=due) if self.is_open else None

    def is_late(self, *, today: date, due: date) -> bool:
        """Late: flagged by the overdue check, or running past ``due`` today (a paused clock is not)."""
        return self.overdue or (self.status == TaskStatus.in_progress and due < today)

    @property
    def requestable_materials(self) -> frozenset[str]:
        """The material types a 补正 request on this task may name: those its item requires."""
        return frozenset(m.material_type for m in self.materials)

    @property
    def supplement_due(self) -> date | None:
        """The due date of the open 补正 request, if the task waits for one."""
        return next((p.due for p in self.pauses if p.is_open), None)

    def pause(self, materials: list[str], *, today: date, due: date | None = None) -> None:
        """补正: the task waits for ``materials`` until ``due`` and its clock stops after ``today``."""
        self.require(TaskStatus.in_progress)
        self.status, self.requested_materials = TaskStatus.waiting_supplement, list(dict.fromkeys(materials))
        self.pauses = [*self.pauses, Pause(start=today, due=due)]
        self.supplement_due_on, self.supplement_reminded = due, False

    def resume(self, *, today: date, calendar: WorkCalendar) -> None:
        """The clock runs again from ``today``; the pause's working days move the deadline."""
        self.pauses = [p.closed_on(today) for p in self.pauses]
        self.recompute_deadline(calendar)
        self.status, self.requested_materials, self.warned = TaskStatus.in_progress, [], False
        self.supplement_due_on = None

    def recompute_deadline(self, calendar: WorkCalendar) -> None:
        """The deadline again, with today's calendar (a provisional year may have become official)."""
        deadline = compute_deadline(
            calendar, start=self.started_on, working_days=self.committed_days, pauses=self.pauses
        )
        self.deadline, self.deadline_provisional = deadline.due, deadline.provisional

    def decide(self, decision: Decision, *, officer_id: str, now: datetime, calendar: WorkCalendar) -> None:
        """Approve or reject; an approved item issues its licence unless the officer names another."""
        self.require(TaskStatus.in_progress)
        self.status = TaskStatus.approved if decision.outcome == "approved" else TaskStatus.rejected
        self.reason, self.officer_id, self.completed_at = decision.reason, officer_id, now
        end = ending(
            accepted_on=self.started_on, ended_on=china_date(now), deadline=self.deadline, calendar=calendar
        )
        self.on_time, self.handling_working_days = end.on_time, end.handling_working_days
        default_licence = self.issues_licence if decision.outcome == "approved" else None
        self.licence_type = decision.licence_type or default_licence
        self.licence_number = decision.licence_number

    def cancel(self) -> None:
        self.status = TaskStatus.cancelled

    def replace_materials(self, supplied: Mapping[str, MaterialReference]) -> None:
        """Supplied materials replace the references; the 容缺 due date moves to the next missing one."""
        self.materials = [supplied.get(m.material_type, m) for m in self.materials]
        due = min(
            (self.deferral_dues[m] for m in self.pending_deferred if m in self.deferral_dues), default=None
        )
        if due != self.deferral_due:
            self.deferral_due, self.deferral_reminded = due, False

    @property
    def pending_deferred(self) -> list[str]:
        """The deferred (容缺) materials of this task not handed in yet."""
        return [m.material_type for m in self.materials if m.deferred]

    def wants_due_check(self, *, today: date, horizon: date) -> bool:
        """Whether the due-date round must look at this task (the repository's claim mirrors this)."""

        def wants(due: date | None, reminded: bool) -> bool:
            return due is not None and (due < today or (due <= horizon and not reminded))

        waiting = self.status == TaskStatus.waiting_supplement
        return (waiting and wants(self.supplement_due_on, self.supplement_reminded)) or (
            self.is_open and wants(self.deferral_due, self.deferral_reminded)
        )

    def check_due(self, *, today: date, horizon: date) -> list[DueAlert]:
        """The due-date round's steps for this open task: reminders (each once), or the one expiry that
        ends it (the caller then calls :meth:`end_unanswered`)."""
        alerts = [
            a for a in (self._supplement_step(today, horizon), self._deferral_step(today, horizon)) if a
        ]
        expired = [a for a in alerts if a.step == "expired"]
        if expired:
            return expired[:1]
        self.supplement_reminded |= any(a.due_for == "supplement" for a in alerts)
        self.deferral_reminded |= any(a.due_for == "deferred" for a in alerts)
        return alerts

    def _supplement_step(self, today: date, horizon: date) -> DueAlert | None:
        due = self.supplement_due_on
        if self.status != TaskStatus.waiting_supplement or due is None:
            return None
        step = step_on(due, reminded=self.supplement_reminded, today=today, horizon=horizon)
        materials = tuple(self.requested_materials)
        return DueAlert(step, "supplement", materials, due, self.terms.supplement) if step else None

    def _deferral_step(self, today: date, horizon: date) -> DueAlert | None:
        pending, due = self.pending_deferred, self.deferral_due
        if not self.is_open or not pending or due is None:
            return None
        step = step_on(due, reminded=self.deferral_reminded, today=today, horizon=horizon)
        _, term = self.terms.earliest(pending)
        return DueAlert(step, "deferred", tuple(pending), due, term) if step else None

    def end_unanswered(self, alert: DueAlert, *, now: datetime, calendar: WorkCalendar) -> None:
        """The due date passed: the task ends with the item's consequence; an open 补正 pause is closed on
        the due date, so the clock stops counting it there (not on the day the round noticed)."""
        self.pauses = [p.closed_on(max(p.start, alert.due_on)) for p in self.pauses]
        self.recompute_deadline(calendar)
        self.status, self.reason, self.completed_at = alert.term.consequence, alert.reason, now
        end = ending(
            accepted_on=self.started_on, ended_on=china_date(now), deadline=self.deadline, calendar=calendar
        )
        self.on_time, self.handling_working_days = end.on_time, end.handling_working_days
        self.supplement_due_on = self.deferral_due = None

    def alert(self, *, today: date, horizon: date) -> Alert | None:
        """The overdue check's alert, each at most once: late after the due date, warned a working day before.

        A task already late gets no late warning.
        """
        if self.deadline < today and not self.overdue:
            self.overdue = self.warned = True
            return "overdue"
        if self.deadline <= horizon and not self.warned:
            self.warned = True
            return "overdue-warning"
        return None
