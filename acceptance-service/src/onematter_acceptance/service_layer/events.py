"""The catalogued events (payload models in ``onematter_events.applications``), built from domain objects.

Application events are keyed and, where they were before, subjected by the acceptance number; task events
carry only what the task's department needs. ``time`` is stamped by the unit of work from its clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from onematter_events import CloudEvent, new_event
from onematter_events import applications as ev

from onematter_acceptance.domain.application import Application
from onematter_acceptance.domain.results import LicenceOnApproval
from onematter_acceptance.domain.reviews import Rectification, Review
from onematter_acceptance.domain.supplement import Resumed
from onematter_acceptance.domain.task import Alert, Task

__all__ = [
    "accepted",
    "assigned",
    "cancelled",
    "completed",
    "overdue",
    "review_submitted",
    "supplement_received",
    "supplement_requested",
    "task_completed",
    "task_supplement_requested",
    "withdrawn",
]


def _ids(application: Application) -> dict[str, str]:
    return {"application_id": application.id, "acceptance_number": application.acceptance_number}


def accepted(application: Application) -> CloudEvent:
    tasks = [
        ev.TaskRef(task_id=t.id, item_code=t.item_code, department=t.department, deadline=t.deadline)
        for t in application.tasks
    ]
    payload = ev.ApplicationAccepted(
        **_ids(application),
        matter_code=application.matter_code,
        matter_version=application.matter_version,
        applicant_id=application.applicant_id,
        submitted_by=application.submitted_by,
        channel=application.channel,
        accepted_at=application.accepted_at,
        deadline=application.deadline,
        deadline_provisional=application.deadline_provisional,
        tasks=tasks,
        deferred_materials=application.deferred_materials,
        supplement_due=application.supplement_due,
    )
    return new_event(ev.APPLICATION_ACCEPTED, payload, subject=application.acceptance_number)


def assigned(task: Task, application: Application) -> CloudEvent:
    """Only this item's fields and materials: a department sees what it needs and no more."""
    payload = ev.TaskAssigned(
        task_id=task.id,
        **_ids(application),
        matter_code=application.matter_code,
        item_code=task.item_code,
        item_name_zh=task.item_name_zh,
        department=task.department,
        applicant_id=application.applicant_id,
        deadline=task.deadline,
        deadline_provisional=task.deadline_provisional,
        form=task.form,
        materials=task.materials,
        verify_after_commitment=task.verify_after_commitment,
        issues_licence=task.issues_licence,
    )
    return new_event(ev.TASK_ASSIGNED, payload, subject=application.acceptance_number)


def task_completed(task: Task, application: Application, *, licence: LicenceOnApproval | None) -> CloudEvent:
    """The decision; an approval that issues a licence carries the item's declared result (办理结果)."""
    payload = ev.TaskCompleted(
        task_id=task.id,
        **_ids(application),
        item_code=task.item_code,
        department=task.department,
        applicant_id=application.applicant_id,
        outcome="approved" if task.status == "approved" else "rejected",
        reason=task.reason,
        completed_at=task.completed_at,
        officer_id=task.officer_id or "",
        licence_type=licence.result.licence_type if licence else None,
        licence_number=licence.number if licence else None,
        licence_valid_until=licence.valid_until if licence else None,
        result=licence.result if licence else None,
        licence_subject_name=licence.subject_name if licence else None,
        licence_subject_id=licence.subject_id if licence else None,
    )
    return new_event(ev.TASK_COMPLETED, payload, subject=application.acceptance_number)


def completed(application: Application) -> CloudEvent:
    payload = ev.ApplicationCompleted(
        **_ids(application),
        applicant_id=application.applicant_id,
        matter_code=application.matter_code,
        outcome="approved" if application.status == "completed" else "completed_with_rejections",
        rejections=[ev.Rejection.model_validate(vars(r)) for r in application.rejections],
        completed_at=application.completed_at,
        on_time=bool(application.on_time),
    )
    return new_event(ev.APPLICATION_COMPLETED, payload, subject=application.acceptance_number)


def cancelled(task: Task, application: Application, *, reason: str) -> CloudEvent:
    payload = ev.TaskCancelled(
        task_id=task.id, **_ids(application), department=task.department, reason=reason
    )
    return new_event(ev.TASK_CANCELLED, payload, subject=application.acceptance_number)


def withdrawn(application: Application, cancelled_tasks: Sequence[Task]) -> CloudEvent:
    payload = ev.ApplicationWithdrawn(
        **_ids(application),
        applicant_id=application.applicant_id,
        cancelled_task_ids=[t.id for t in cancelled_tasks],
        withdrawn_at=application.completed_at,
    )
    return new_event(ev.APPLICATION_WITHDRAWN, payload)


def overdue(alert: Alert, task: Task, application: Application) -> CloudEvent:
    """``task.overdue`` after the deadline, ``task.overdue-warning`` a working day before."""
    payload = ev.TaskOverdue(
        task_id=task.id,
        **_ids(application),
        item_code=task.item_code,
        department=task.department,
        deadline=task.deadline,
    )
    kind = ev.TASK_OVERDUE if alert == "overdue" else ev.TASK_OVERDUE_WARNING
    return new_event(kind, payload, subject=application.acceptance_number)


def task_supplement_requested(task: Task, application: Application, *, reason: str) -> CloudEvent:
    payload = ev.TaskSupplementRequested(
        task_id=task.id,
        **_ids(application),
        department=task.department,
        materials=task.requested_materials,
        reason=reason,
        due_on=task.supplement_due,
    )
    return new_event(ev.TASK_SUPPLEMENT_REQUESTED, payload)


def supplement_requested(application: Application, *, requested_at: datetime) -> CloudEvent:
    """The applicant's one merged 补正 request: each material once, with every department's reason."""
    items = [
        ev.SupplementItem(material_type=kind, reason="；".join(d.reasons), departments=list(d.departments))
        for kind, d in application.open_supplement.items()
    ]
    dues = [t.supplement_due for t in application.tasks if t.supplement_due is not None]
    payload = ev.ApplicationSupplementRequested(
        **_ids(application),
        applicant_id=application.applicant_id,
        items=items,
        requested_at=requested_at,
        due_on=min(dues, default=None),
    )
    return new_event(ev.APPLICATION_SUPPLEMENT_REQUESTED, payload)


def supplement_received(
    application: Application,
    materials: Mapping[str, str],
    resumed: Sequence[Resumed],
    *,
    received_at: datetime,
) -> CloudEvent:
    """Each resumed task with only the supplied materials it needs (its department may read these)."""
    payload = ev.ApplicationSupplementReceived(
        **_ids(application),
        applicant_id=application.applicant_id,
        materials=dict(materials),
        resumed_task_ids=[r.task_id for r in resumed],
        received_at=received_at,
        resumed_tasks=[
            ev.ResumedTask(task_id=r.task_id, department=r.department, material_ids=r.material_ids)
            for r in resumed
        ],
    )
    return new_event(ev.APPLICATION_SUPPLEMENT_RECEIVED, payload)


def review_submitted(
    application: Application, review: Review, rectification: Rectification | None
) -> CloudEvent:
    payload = ev.ReviewSubmitted(
        **_ids(application),
        applicant_id=application.applicant_id,
        matter_code=application.matter_code,
        lead_department=application.lead_department,
        level=review.level,
        comment=review.comment,
        bad=review.bad,
        rectification_id=rectification.id if rectification else None,
        rectification_due=rectification.due if rectification else None,
        submitted_at=review.submitted_at,
    )
    return new_event(ev.REVIEW_SUBMITTED, payload)
