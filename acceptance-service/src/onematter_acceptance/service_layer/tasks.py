"""并联办理: what a department officer does with its tasks — approve, reject, ask for a supplement (补正).

Object-level authorization: an officer sees and acts only on tasks of its own department; any other
task is a 404, as if it did not exist. The application row is locked first, so two departments finishing
at the same moment still complete the application exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from onematter_events import applications as ev
from onematter_events import new_event
from onematter_kit.errors import ConflictError, NotFoundError
from onematter_kit.identity import Principal, Role
from sqlalchemy import select

from onematter_acceptance.adapters.repository import AcceptanceUnitOfWork
from onematter_acceptance.adapters.tables import Application, Task
from onematter_acceptance.domain.applications import (
    ApplicationStatus,
    TaskStatus,
    completion,
    merge_supplement,
)
from onematter_acceptance.domain.statistics import ending
from onematter_acceptance.service_layer.collaborators import Collaborators
from onematter_acceptance.service_layer.events import completed_event, ids, task_completed_event

__all__ = ["Decision", "decide_task", "locked_task", "request_supplement"]


@dataclass(frozen=True)
class Decision:
    outcome: str  # "approved" | "rejected"
    reason: str | None = None
    licence_type: str | None = None
    licence_number: str | None = None
    licence_valid_until: date | None = None


async def locked_task(
    uow: AcceptanceUnitOfWork, task_id: str, officer: Principal
) -> tuple[Task, Application]:
    """The officer's task and its application, both locked for update; 404 unless it is the officer's."""
    task = await uow.session.get(Task, task_id)
    if task is None or not officer.has(Role.officer) or task.department != officer.department:
        raise NotFoundError(f"No task {task_id}.")
    application = (
        await uow.session.execute(
            select(Application).where(Application.id == task.application_id).with_for_update()
        )
    ).scalar_one()
    await uow.session.refresh(task, with_for_update=True)
    return task, application


def _require_open(task: Task, *, allowed: frozenset[str] = frozenset({TaskStatus.in_progress})) -> None:
    if task.status not in allowed:
        raise ConflictError(f"The task is {task.status}; this action is not possible now.")


async def decide_task(task_id: str, officer: Principal, decision: Decision, deps: Collaborators) -> Task:
    async with deps.uow() as uow:
        task, application = await locked_task(uow, task_id, officer)
        _require_open(task)
        task.status = TaskStatus.approved if decision.outcome == "approved" else TaskStatus.rejected
        task.reason, task.officer_id, task.completed_at = decision.reason, officer.subject, deps.now()
        end = ending(
            accepted_on=task.started_on, ended_on=deps.today(), deadline=task.deadline, calendar=deps.calendar
        )
        task.on_time, task.handling_working_days = end.on_time, end.handling_working_days
        # An approved item that issues a licence (电子证照) issues it unless the officer names another.
        default_licence = task.issues_licence if decision.outcome == "approved" else None
        licence_type = decision.licence_type or default_licence
        task.licence_type, task.licence_number = licence_type, decision.licence_number
        uow.record(
            application.id,
            actor=officer.subject,
            kind=f"task_{decision.outcome}",
            task_id=task.id,
            department=task.department,
            item_code=task.item_code,
            reason=decision.reason,
            licence_type=licence_type,
        )
        uow.emit(task_completed_event(task, application, licence_valid_until=decision.licence_valid_until))
        await _complete_if_done(uow, application, deps)
        await uow.commit()
        return task


async def _complete_if_done(uow: AcceptanceUnitOfWork, application: Application, deps: Collaborators) -> None:
    """办结: once no task is open, one result for the applicant."""
    tasks = await uow.tasks_of(application.id)
    done = completion(
        [
            {
                "id": t.id,
                "status": t.status,
                "item_code": t.item_code,
                "department": t.department,
                "reason": t.reason,
            }
            for t in tasks
        ]
    )
    if done is None:
        return
    application.status, application.rejections, application.completed_at = (
        done.status,
        done.rejections,
        deps.now(),
    )
    end = ending(
        accepted_on=application.accepted_at.date(),
        ended_on=deps.today(),
        deadline=application.deadline,
        calendar=deps.calendar,
    )
    application.on_time, application.handling_working_days = end.on_time, end.handling_working_days
    uow.record(application.id, actor="system", kind=done.status, rejections=done.rejections)
    uow.emit(completed_event(application, on_time=end.on_time))


async def request_supplement(
    task_id: str, officer: Principal, *, materials: list[str], reason: str, deps: Collaborators
) -> Task:
    """补正: the task waits and its clock pauses; the applicant gets one merged request."""
    async with deps.uow() as uow:
        task, application = await locked_task(uow, task_id, officer)
        _require_open(task)
        task.status, task.requested_materials = TaskStatus.waiting_supplement, list(dict.fromkeys(materials))
        task.pauses = [*task.pauses, {"from": deps.today().isoformat(), "to": None}]
        application.open_supplement = merge_supplement(
            application.open_supplement,
            materials=materials,
            reason=reason,
            department=task.department,
            task_id=task.id,
        )
        application.status = ApplicationStatus.waiting_supplement
        uow.record(
            application.id,
            actor=officer.subject,
            kind="supplement_requested",
            task_id=task.id,
            department=task.department,
            materials=task.requested_materials,
            reason=reason,
        )
        uow.emit(
            new_event(
                ev.TASK_SUPPLEMENT_REQUESTED,
                ev.TaskSupplementRequested(
                    task_id=task.id,
                    **ids(application),
                    department=task.department,
                    materials=task.requested_materials,
                    reason=reason,
                ),
            )
        )
        uow.emit(merged_request_event(application, deps))
        await uow.commit()
        return task


def merged_request_event(application: Application, deps: Collaborators) -> Any:
    items = [
        ev.SupplementItem(
            material_type=kind, reason="；".join(entry["reasons"]), departments=entry["departments"]
        )
        for kind, entry in application.open_supplement.items()
    ]
    return new_event(
        ev.APPLICATION_SUPPLEMENT_REQUESTED,
        ev.ApplicationSupplementRequested(
            **ids(application, with_applicant=True),
            items=items,
            requested_at=deps.now(),
        ),
    )
