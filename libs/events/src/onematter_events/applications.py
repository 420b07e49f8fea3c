"""Events of unified acceptance (acceptance-service).

Application and review events go to the ``onematter.applications`` stream; task events go to the task
topic of the task's department (``onematter.tasks.<department>``). Key: the application id, everywhere.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from onematter_events.envelope import EventPayload
from onematter_events.matters import ItemResult

__all__ = [
    "APPLICATION_ACCEPTED",
    "APPLICATION_COMPLETED",
    "APPLICATION_SUPPLEMENT_RECEIVED",
    "APPLICATION_SUPPLEMENT_REQUESTED",
    "APPLICATION_WITHDRAWN",
    "REVIEW_SUBMITTED",
    "SOURCE",
    "TASK_ASSIGNED",
    "TASK_CANCELLED",
    "TASK_COMPLETED",
    "TASK_OVERDUE",
    "TASK_OVERDUE_WARNING",
    "TASK_SUPPLEMENT_REQUESTED",
    "ApplicationAccepted",
    "ApplicationCompleted",
    "ApplicationSupplementReceived",
    "ApplicationSupplementRequested",
    "ApplicationWithdrawn",
    "MaterialReference",
    "Rejection",
    "ResumedTask",
    "ReviewSubmitted",
    "SupplementItem",
    "TaskAssigned",
    "TaskCancelled",
    "TaskCompleted",
    "TaskOverdue",
    "TaskRef",
    "TaskSupplementRequested",
]

SOURCE = "/onematter/acceptance"
APPLICATION_ACCEPTED = "gov.onematter.application.accepted"
APPLICATION_SUPPLEMENT_REQUESTED = "gov.onematter.application.supplement-requested"
APPLICATION_SUPPLEMENT_RECEIVED = "gov.onematter.application.supplement-received"
APPLICATION_COMPLETED = "gov.onematter.application.completed"
APPLICATION_WITHDRAWN = "gov.onematter.application.withdrawn"
REVIEW_SUBMITTED = "gov.onematter.review.submitted"
TASK_ASSIGNED = "gov.onematter.task.assigned"
TASK_COMPLETED = "gov.onematter.task.completed"
TASK_SUPPLEMENT_REQUESTED = "gov.onematter.task.supplement-requested"
TASK_CANCELLED = "gov.onematter.task.cancelled"
TASK_OVERDUE_WARNING = "gov.onematter.task.overdue-warning"
TASK_OVERDUE = "gov.onematter.task.overdue"

Channel = Literal["online", "window", "kiosk"]


class TaskRef(EventPayload):
    task_id: str
    item_code: str
    department: str
    deadline: date


class ApplicationAccepted(EventPayload):
    application_id: str
    acceptance_number: str
    matter_code: str
    matter_version: int
    applicant_id: str
    submitted_by: str
    channel: Channel
    accepted_at: datetime
    deadline: date
    deadline_provisional: bool = False
    tasks: list[TaskRef]
    #: 容缺受理 — materials accepted as missing, to be supplied by ``supplement_due``.
    deferred_materials: list[str] = []  # noqa: RUF012 — pydantic copies field defaults
    supplement_due: date | None = None


class MaterialReference(EventPayload):
    """A material a task needs: an uploaded material, an electronic licence, or a signed commitment."""

    material_type: str
    material_id: str | None = None
    licence_id: str | None = None
    #: 告知承诺 — replaced by the applicant's commitment; the department must verify afterwards.
    by_commitment: bool = False
    #: 容缺受理 — not yet handed in.
    deferred: bool = False
    #: 免证办 — the licence's number and the code that checks it (``GET /api/v1/licences/verify/{code}``),
    #: so the department can verify the licence without asking the applicant; None for other references.
    licence_number: str | None = None
    licence_verification_code: str | None = None


class TaskAssigned(EventPayload):
    """What a department needs for one task, and no more: its item, its fields, its materials."""

    task_id: str
    application_id: str
    acceptance_number: str
    matter_code: str
    item_code: str
    item_name_zh: str
    department: str
    applicant_id: str
    deadline: date
    deadline_provisional: bool = False
    form: dict[str, Any]
    materials: list[MaterialReference]
    verify_after_commitment: bool = False
    issues_licence: str | None = None


class Rejection(EventPayload):
    task_id: str
    item_code: str
    department: str
    reason: str


class TaskCompleted(EventPayload):
    task_id: str
    application_id: str
    acceptance_number: str
    item_code: str
    department: str
    applicant_id: str
    outcome: Literal["approved", "rejected"]
    reason: str | None = None
    completed_at: datetime
    officer_id: str
    #: The electronic licence type (a material type) the approval issues, if any: always the item's
    #: declared result (``result.licence_type``); an approval without ``result`` issues nothing.
    licence_type: str | None = None
    #: The department's own register number (``result.number_source == "department"``); else None.
    licence_number: str | None = None
    licence_valid_until: date | None = None
    #: 办理结果 — the catalog item's declared result, passed along so the licence follows its rules.
    result: ItemResult | None = None
    #: Whom the licence is about, read from the form fields ``result`` names (None: the applicant).
    licence_subject_name: str | None = None
    licence_subject_id: str | None = None


class SupplementItem(EventPayload):
    material_type: str
    reason: str
    departments: list[str]


class TaskSupplementRequested(EventPayload):
    task_id: str
    application_id: str
    acceptance_number: str
    department: str
    materials: list[str]
    reason: str
    #: The day (China) by which the applicant must answer (补正 due date); absent in older events.
    due_on: date | None = None


class ApplicationSupplementRequested(EventPayload):
    """One merged request to the applicant (补正), each material asked once."""

    application_id: str
    acceptance_number: str
    applicant_id: str
    items: list[SupplementItem]
    requested_at: datetime
    #: The earliest due date among the open 补正 requests (China date); absent in older events.
    due_on: date | None = None


class ResumedTask(EventPayload):
    """A task the supplement resumed, and the supplied materials it needs (need-to-know, 补正).

    ``material_ids`` are only those of ``ApplicationSupplementReceived.materials`` whose type the task's
    supplement request named or its item requires — the material service grants ``department`` exactly these.
    """

    task_id: str
    department: str
    material_ids: list[str] = Field(default_factory=list)


class ApplicationSupplementReceived(EventPayload):
    """The applicant handed in requested (补正) or deferred (容缺) materials.

    ``materials`` maps material type → material id; ``resumed_tasks`` (added later, optional: empty from
    older producers) says which department may now read which of them.
    """

    application_id: str
    acceptance_number: str
    applicant_id: str
    materials: dict[str, str]
    resumed_task_ids: list[str]
    received_at: datetime
    resumed_tasks: list[ResumedTask] = Field(default_factory=list)


class ApplicationCompleted(EventPayload):
    """办结 — every task ended; ``outcome`` says whether all were approved."""

    application_id: str
    acceptance_number: str
    applicant_id: str
    matter_code: str
    outcome: Literal["approved", "completed_with_rejections"]
    rejections: list[Rejection] = []  # noqa: RUF012 — pydantic copies field defaults
    completed_at: datetime
    on_time: bool = True


class ApplicationWithdrawn(EventPayload):
    application_id: str
    acceptance_number: str
    applicant_id: str
    cancelled_task_ids: list[str]
    withdrawn_at: datetime


class TaskCancelled(EventPayload):
    task_id: str
    application_id: str
    acceptance_number: str
    department: str
    reason: str


class TaskOverdue(EventPayload):
    """Used by both the warning (a working day before) and the overdue event."""

    task_id: str
    application_id: str
    acceptance_number: str
    item_code: str
    department: str
    deadline: date


class ReviewSubmitted(EventPayload):
    """好差评 — levels 1 (非常不满意) … 5 (非常满意); 1 and 2 are bad and open a rectification."""

    application_id: str
    acceptance_number: str
    applicant_id: str
    matter_code: str
    lead_department: str
    level: int
    comment: str = ""
    bad: bool
    rectification_id: str | None = None
    rectification_due: date | None = None
    submitted_at: datetime
