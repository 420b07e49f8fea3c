"""Building the catalogued events from rows (the payload models in ``onematter_events.applications``)."""

from __future__ import annotations

from collections.abc import Sequence

from onematter_events import CloudEvent, new_event
from onematter_events import applications as ev

from onematter_acceptance.adapters.tables import Application, Task

__all__ = [
    "accepted_event",
    "assigned_event",
    "cancelled_event",
    "completed_event",
    "ids",
    "overdue_event",
    "task_completed_event",
]


def ids(application: Application, *, with_applicant: bool = False) -> dict[str, str]:
    """The identifiers every application-scoped payload starts with."""
    found = {"application_id": application.id, "acceptance_number": application.acceptance_number}
    return {**found, "applicant_id": application.applicant_id} if with_applicant else found


def accepted_event(application: Application, tasks: Sequence[Task]) -> CloudEvent:
    return new_event(
        ev.APPLICATION_ACCEPTED,
        ev.ApplicationAccepted(
            **ids(application),
            matter_code=application.matter_code,
            matter_version=application.matter_version,
            applicant_id=application.applicant_id,
            submitted_by=application.submitted_by,
            channel=application.channel,
            accepted_at=application.accepted_at,
            deadline=application.deadline,  # type: ignore[arg-type]
            deadline_provisional=application.deadline_provisional,
            tasks=[
                ev.TaskRef(task_id=t.id, item_code=t.item_code, department=t.department, deadline=t.deadline)
                for t in tasks
            ],
            deferred_materials=application.deferred_materials,
            supplement_due=application.supplement_due,
        ),
        subject=application.acceptance_number,
    )


def assigned_event(task: Task, application: Application) -> CloudEvent:
    """Only this item's fields and materials: a department sees what it needs and no more."""
    return new_event(
        ev.TASK_ASSIGNED,
        ev.TaskAssigned(
            task_id=task.id,
            **ids(application),
            matter_code=application.matter_code,
            item_code=task.item_code,
            item_name_zh=task.item_name_zh,
            department=task.department,
            applicant_id=application.applicant_id,
            deadline=task.deadline,
            deadline_provisional=task.deadline_provisional,
            form=task.form,
            materials=[ev.MaterialReference.model_validate(m) for m in task.materials],
            verify_after_commitment=task.verify_after_commitment,
            issues_licence=task.issues_licence,
        ),
        subject=application.acceptance_number,
    )


def task_completed_event(task: Task, application: Application, *, licence_valid_until=None) -> CloudEvent:  # type: ignore[no-untyped-def]
    return new_event(
        ev.TASK_COMPLETED,
        ev.TaskCompleted(
            task_id=task.id,
            **ids(application),
            item_code=task.item_code,
            department=task.department,
            applicant_id=application.applicant_id,
            outcome="approved" if task.status == "approved" else "rejected",
            reason=task.reason,
            completed_at=task.completed_at,
            officer_id=task.officer_id or "",  # type: ignore[arg-type]
            licence_type=task.licence_type,
            licence_number=task.licence_number,
            licence_valid_until=licence_valid_until,
        ),
        subject=application.acceptance_number,
    )


def completed_event(application: Application, *, on_time: bool) -> CloudEvent:
    return new_event(
        ev.APPLICATION_COMPLETED,
        ev.ApplicationCompleted(
            **ids(application, with_applicant=True),
            matter_code=application.matter_code,
            outcome="approved" if application.status == "completed" else "completed_with_rejections",
            rejections=[ev.Rejection.model_validate(r) for r in application.rejections],
            completed_at=application.completed_at,
            on_time=on_time,
        ),  # type: ignore[arg-type]
        subject=application.acceptance_number,
    )


def cancelled_event(task: Task, application: Application, *, reason: str) -> CloudEvent:
    return new_event(
        ev.TASK_CANCELLED,
        ev.TaskCancelled(
            task_id=task.id,
            **ids(application),
            department=task.department,
            reason=reason,
        ),
        subject=application.acceptance_number,
    )


def overdue_event(event_type: str, task: Task, number: str) -> CloudEvent:
    return new_event(
        event_type,
        ev.TaskOverdue(
            task_id=task.id,
            application_id=task.application_id,
            acceptance_number=number,
            item_code=task.item_code,
            department=task.department,
            deadline=task.deadline,
        ),
        subject=number,
    )
