"""A task as officers and applicants read it, with its explained deadline."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from onematter_kit.clock import ChinaTime
from pydantic import BaseModel, ConfigDict, Field

from onematter_acceptance.domain.clock import Deadline
from onematter_acceptance.domain.due_round import DueDate, due_dates
from onematter_acceptance.domain.duedates import CONSEQUENCE_ZH
from onematter_acceptance.service_layer.queries import TaskReading

__all__ = ["DeadlinePublic", "MaterialRefPublic", "QueuedTaskPublic", "TaskPublic"]


class HolidayPublic(BaseModel):
    date: date
    name: str


class PausePublic(BaseModel):
    """A 补正 pause: the clock stopped after ``from`` and ran again on ``to`` (null while it is open)."""

    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    to: date | None
    working_days: int


class CalendarSourcePublic(BaseModel):
    """What decided the days of ``year``: an official notice (``reference`` its document number, with
    ``version`` and ``issued_on``), ``chinese_calendar`` (``version`` the library's), or the provisional
    statutory rule (``provisional`` true)."""

    year: int
    kind: str
    reference: str
    version: str | None
    issued_on: date | None
    provisional: bool
    description: str


class NonWorkingDayRulePublic(BaseModel):
    """The rule for an application accepted on a non-working day; ``applied``: this one was."""

    rule: str
    applied: bool
    description: str


class DueDatePublic(BaseModel):
    """A 补正 (``supplement``) or 容缺 (``deferred``) due date: the last day (China) to hand the materials in,
    the item's term and the consequence when it passes unanswered (``not_accepted`` 不予受理 /
    ``terminated`` 终止办理, with the item's legal basis; empty: per the item); ``state`` is ``open``,
    ``answered`` or ``expired`` (it ended the task, and its pause was closed on ``due_on``)."""

    due_for: Literal["supplement", "deferred"]
    due_on: date
    materials: list[str]
    working_days: int
    consequence: Literal["not_accepted", "terminated"]
    consequence_zh: str
    basis: str
    state: Literal["open", "answered", "expired"]

    @classmethod
    def of(cls, due: DueDate) -> DueDatePublic:
        return cls(
            due_for=due.due_for,
            due_on=due.due_on,
            materials=list(due.materials),
            working_days=due.term.working_days,
            consequence=due.term.consequence,
            consequence_zh=CONSEQUENCE_ZH[due.term.consequence],
            basis=due.term.basis,
            state=due.state,
        )


class DeadlinePublic(BaseModel):
    """Why the due date is what it is: the holidays skipped, the 调休 working weekends counted, the pauses,
    the counting rule with its sources, and every calendar source (official / library / provisional)."""

    start: date
    clock_start: date
    working_days: int
    due: date
    provisional: bool
    holidays_skipped: list[HolidayPublic]
    adjusted_workdays: list[date]
    pauses: list[PausePublic]
    paused_working_days: int
    counting: str
    non_working_day_acceptance: NonWorkingDayRulePublic
    calendar: list[CalendarSourcePublic]
    #: The task's 补正 and 容缺 due dates with their terms (issue 15); empty when it never had one.
    due_dates: list[DueDatePublic] = Field(default_factory=list)

    @classmethod
    def of(cls, deadline: Deadline, *, dues: list[DueDate] | None = None) -> DeadlinePublic:
        explained = deadline.explain()
        return cls(
            start=deadline.start,
            clock_start=deadline.clock_start,
            working_days=deadline.working_days,
            due=deadline.due,
            provisional=deadline.provisional,
            holidays_skipped=[HolidayPublic(date=d, name=n) for d, n in deadline.holidays_skipped],
            adjusted_workdays=list(deadline.adjusted_workdays),
            pauses=[
                PausePublic.model_validate({"from": s, "to": e, "working_days": n})
                for s, e, n in deadline.pauses
            ],
            paused_working_days=deadline.paused_working_days,
            counting=explained["counting"],
            non_working_day_acceptance=explained["non_working_day_acceptance"],
            calendar=explained["calendar"],
            due_dates=[DueDatePublic.of(d) for d in dues or []],
        )


class MaterialRefPublic(BaseModel):
    """How one material is satisfied: an uploaded material, a licence (免证办), a commitment, or deferred."""

    material_type: str
    material_id: str | None = None
    licence_id: str | None = None
    by_commitment: bool = False
    deferred: bool = False
    licence_number: str | None = None
    licence_verification_code: str | None = None


class TaskPublic(BaseModel):
    id: str
    acceptance_number: str
    application_id: str
    item_code: str
    item_name_zh: str
    department: str
    status: str
    deadline: date
    deadline_provisional: bool
    deadline_explanation: DeadlinePublic
    form: dict[str, Any]
    materials: list[MaterialRefPublic]
    requested_materials: list[str]
    #: The day (China) by which the applicant must answer the open 补正 request; null when none is open.
    supplement_due_on: date | None = None
    verify_after_commitment: bool
    issues_licence: str | None
    reason: str | None
    licence_type: str | None
    licence_number: str | None
    #: Live: flagged by the overdue check, or running past the deadline today.
    overdue: bool
    #: Working days in (today, deadline] while open, negative once late; null once the task ended.
    working_days_left: int | None
    on_time: bool | None
    completed_at: ChinaTime | None

    @classmethod
    def fields_of(cls, r: TaskReading) -> dict[str, Any]:
        t = r.task
        return {
            "id": t.id,
            "acceptance_number": r.application.acceptance_number,
            "application_id": t.application_id,
            "item_code": t.item_code,
            "item_name_zh": t.item_name_zh,
            "department": t.department,
            "status": t.status,
            "deadline": r.deadline.due,
            "deadline_provisional": r.deadline.provisional,
            "deadline_explanation": DeadlinePublic.of(r.deadline, dues=due_dates(t)),
            "supplement_due_on": t.supplement_due,
            "form": t.form,
            "materials": [MaterialRefPublic.model_validate(m.model_dump()) for m in t.materials],
            "requested_materials": t.requested_materials,
            "verify_after_commitment": t.verify_after_commitment,
            "issues_licence": t.issues_licence,
            "reason": t.reason,
            "licence_type": t.licence_type,
            "licence_number": t.licence_number,
            "overdue": r.overdue,
            "working_days_left": r.working_days_left,
            "on_time": t.on_time,
            "completed_at": t.completed_at,
        }

    @classmethod
    def of(cls, r: TaskReading) -> TaskPublic:
        return cls(**cls.fields_of(r))


class QueuedTaskPublic(TaskPublic):
    """A task in the workbench's queue and detail: also whose application it is."""

    matter_code: str
    matter_version: int
    applicant_id: str
    channel: str
    accepted_at: ChinaTime

    @classmethod
    def of(cls, r: TaskReading) -> QueuedTaskPublic:
        a = r.application
        return cls(
            **cls.fields_of(r),
            matter_code=a.matter_code,
            matter_version=a.matter_version,
            applicant_id=a.applicant_id,
            channel=a.channel,
            accepted_at=a.accepted_at,
        )
