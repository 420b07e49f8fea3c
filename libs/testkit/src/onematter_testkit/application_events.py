"""Acceptance's events as acceptance publishes them, for suites that consume them without running it
(the notification service's tests, the end-to-end notification test)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from onematter_clock import system_now
from onematter_events import CloudEvent, new_event
from onematter_events import applications as app_events

from onematter_testkit.builders import random_code, random_id

__all__ = ["accepted", "application_completed", "approved", "assigned", "completed", "rejected"]


def accepted(
    *,
    applicant_id: str,
    departments: list[str],
    application_id: str | None = None,
    matter_code: str = "newborn",
    item_codes: list[str] | None = None,
    deferred_materials: list[str] | None = None,
) -> CloudEvent:
    application_id = application_id or random_id("app")
    tasks = [
        app_events.TaskRef(
            task_id=random_id("task"), item_code=code, department=d, deadline=date(2030, 1, 10)
        )
        for d, code in zip(departments, item_codes or [random_code("item") for _ in departments], strict=True)
    ]
    return new_event(
        app_events.APPLICATION_ACCEPTED,
        app_events.ApplicationAccepted(
            application_id=application_id,
            acceptance_number=f"YW{random_code('')}",
            matter_code=matter_code,
            matter_version=1,
            applicant_id=applicant_id,
            submitted_by=applicant_id,
            channel="online",
            accepted_at=system_now(),
            deadline=date(2030, 1, 15),
            tasks=tasks,
            deferred_materials=deferred_materials or [],
            supplement_due=date(2030, 1, 8) if deferred_materials else None,
        ),
    )


def completed(
    accepted_event: CloudEvent,
    index: int,
    outcome: Literal["approved", "rejected"] = "approved",
    reason: str | None = None,
) -> CloudEvent:
    """The department's decision on the ``index``-th task of an accepted application."""
    data = accepted_event.data
    task = data["tasks"][index]
    return new_event(
        app_events.TASK_COMPLETED,
        app_events.TaskCompleted(
            task_id=task["task_id"],
            application_id=data["application_id"],
            acceptance_number=data["acceptance_number"],
            item_code=task["item_code"],
            department=task["department"],
            applicant_id=data["applicant_id"],
            outcome=outcome,
            reason=reason,
            completed_at=system_now(),
            officer_id=f"officer-{task['department']}",
        ),
    )


def approved(accepted_event: CloudEvent, index: int) -> CloudEvent:
    return completed(accepted_event, index)


def rejected(accepted_event: CloudEvent, index: int, reason: str = "照片不清晰") -> CloudEvent:
    return completed(accepted_event, index, "rejected", reason)


def assigned(accepted_event: CloudEvent, index: int) -> CloudEvent:
    data = accepted_event.data
    task = data["tasks"][index]
    return new_event(
        app_events.TASK_ASSIGNED,
        app_events.TaskAssigned(
            task_id=task["task_id"],
            application_id=data["application_id"],
            acceptance_number=data["acceptance_number"],
            matter_code=data["matter_code"],
            item_code=task["item_code"],
            item_name_zh="出生医学证明",
            department=task["department"],
            applicant_id=data["applicant_id"],
            deadline=date(2030, 1, 10),
            form={},
            materials=[],
        ),
    )


def application_completed(
    accepted_event: CloudEvent, outcome: Literal["approved", "completed_with_rejections"] = "approved"
) -> CloudEvent:
    """办结: every task of an accepted application ended."""
    data = accepted_event.data
    return new_event(
        app_events.APPLICATION_COMPLETED,
        app_events.ApplicationCompleted(
            application_id=data["application_id"],
            acceptance_number=data["acceptance_number"],
            applicant_id=data["applicant_id"],
            matter_code=data["matter_code"],
            outcome=outcome,
            completed_at=system_now(),
        ),
    )
