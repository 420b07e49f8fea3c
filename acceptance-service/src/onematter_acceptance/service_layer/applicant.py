"""What the applicant does after acceptance: answer a 补正 request, withdraw, review (好差评)."""

from __future__ import annotations

import uuid

from onematter_events import applications as ev
from onematter_events import new_event
from onematter_kit.errors import ConflictError, ValidationProblem
from onematter_kit.identity import Principal, Role

from onematter_acceptance.adapters.repository import AcceptanceUnitOfWork
from onematter_acceptance.adapters.tables import Application, Rectification, Review, Task
from onematter_acceptance.domain.applications import ApplicationStatus, TaskStatus, ready_to_resume
from onematter_acceptance.domain.calendar import pauses_from_json
from onematter_acceptance.domain.reviews import RECTIFICATION_WORKING_DAYS, is_bad, level_label
from onematter_acceptance.service_layer.access import acting_applicant
from onematter_acceptance.service_layer.collaborators import Collaborators
from onematter_acceptance.service_layer.events import cancelled_event, ids

__all__ = ["answer_supplement", "review_application", "withdraw_application"]


async def answer_supplement(
    number: str, principal: Principal, materials: dict[str, str], deps: Collaborators
) -> list[str]:
    """Hand in requested (补正) or deferred (容缺) materials; only tasks no longer waiting resume.

    Returns the ids of the resumed tasks.
    """
    async with deps.uow() as uow:
        application = await acting_applicant(uow, number, principal)
        owner = Principal(subject=application.applicant_id, roles=frozenset({Role.applicant}))
        wanted = set(application.open_supplement) | set(application.deferred_materials)
        status = application.status
    await _check_owned(status, wanted, owner, materials, deps)
    async with deps.uow() as uow:
        application = await acting_applicant(uow, number, principal)
        resumed_tasks = _apply_supplement(
            application, await uow.tasks_of(application.id, lock=True), materials, deps
        )
        resumed = [t.task_id for t in resumed_tasks]
        uow.record(
            application.id,
            actor=principal.subject,
            kind="supplement_received",
            materials=sorted(materials),
            resumed_task_ids=resumed,
        )
        uow.emit(
            new_event(
                ev.APPLICATION_SUPPLEMENT_RECEIVED,
                ev.ApplicationSupplementReceived(
                    **ids(application, with_applicant=True),
                    materials=materials,
                    resumed_task_ids=resumed,
                    received_at=deps.now(),
                    resumed_tasks=resumed_tasks,
                ),
            )
        )
        await uow.commit()
        return resumed


async def _check_owned(
    status: str, wanted: set[str], owner: Principal, materials: dict[str, str], deps: Collaborators
) -> None:
    if status in ApplicationStatus.ENDED:
        raise ConflictError(f"The application is {status}.")
    errors = [
        {"field": f"materials.{k}", "message": "was not requested"} for k in materials if k not in wanted
    ]
    found = await deps.materials.materials(owner, list(materials.values()))
    errors += [
        {"field": f"materials.{k}", "message": f"material {i} is not one of your {k} materials"}
        for k, i in materials.items()
        if found.get(i, {}).get("material_type") != k
    ]
    if not materials:
        errors.append({"field": "materials", "message": "name at least one material"})
    if errors:
        raise ValidationProblem("The supplement cannot be accepted.", errors=errors)


def _apply_supplement(
    application: Application, tasks: list[Task], materials: dict[str, str], deps: Collaborators
) -> list[ev.ResumedTask]:
    """Record the supplied materials and resume the tasks no longer waiting.

    Returns each resumed task with the supplied materials it needs, so its department (and no other)
    is granted exactly those.
    """
    refs = {**application.materials}
    refs.update({k: {"material_type": k, "material_id": v} for k, v in materials.items()})
    application.materials = refs
    application.open_supplement = {k: v for k, v in application.open_supplement.items() if k not in materials}
    application.deferred_materials = [k for k in application.deferred_materials if k not in materials]
    resumed = []
    for task in tasks:
        task.materials = [refs.get(m["material_type"], m) for m in task.materials]
        if task.status == TaskStatus.waiting_supplement and ready_to_resume(
            task.requested_materials, set(application.open_supplement)
        ):
            resumed.append(_needs(task, materials))
            _resume(task, deps)
    if not any(t.status == TaskStatus.waiting_supplement for t in tasks):
        application.status = ApplicationStatus.in_progress
    application.deadline = max(t.deadline for t in tasks if t.status != TaskStatus.cancelled)
    return resumed


def _needs(task: Task, materials: dict[str, str]) -> ev.ResumedTask:
    """The supplied materials this task needs: those its 补正 request named or its item requires."""
    needed = set(task.requested_materials) | {m["material_type"] for m in task.materials}
    ids = sorted({i for kind, i in materials.items() if kind in needed})
    return ev.ResumedTask(task_id=task.id, department=task.department, material_ids=ids)


def _resume(task: Task, deps: Collaborators) -> None:
    """The clock runs again; the pause's working days are added to the deadline."""
    today = deps.today().isoformat()
    task.pauses = [{**p, "to": p["to"] or today} for p in task.pauses]
    deadline = deps.calendar.deadline(
        start=task.started_on, working_days=task.committed_days, pauses=pauses_from_json(task.pauses)
    )
    task.deadline, task.deadline_provisional = deadline.due, deadline.provisional
    task.status, task.requested_materials, task.warned = TaskStatus.in_progress, [], False


async def withdraw_application(number: str, principal: Principal, deps: Collaborators) -> Application:
    """Before 办结 only; open tasks are cancelled and their departments told."""
    async with deps.uow() as uow:
        application = await acting_applicant(uow, number, principal)
        if application.status in ApplicationStatus.ENDED:
            raise ConflictError(f"The application is already {application.status}.")
        cancelled = await _cancel_open_tasks(uow, application)
        application.status, application.completed_at = ApplicationStatus.withdrawn, deps.now()
        uow.record(application.id, actor=principal.subject, kind="withdrawn", cancelled_task_ids=cancelled)
        uow.emit(
            new_event(
                ev.APPLICATION_WITHDRAWN,
                ev.ApplicationWithdrawn(
                    **ids(application, with_applicant=True),
                    cancelled_task_ids=cancelled,
                    withdrawn_at=deps.now(),
                ),
            )
        )
        await uow.commit()
        return application


async def _cancel_open_tasks(uow: AcceptanceUnitOfWork, application: Application) -> list[str]:
    cancelled = []
    for task in await uow.tasks_of(application.id, lock=True):
        if task.status in TaskStatus.OPEN:
            task.status = TaskStatus.cancelled
            uow.emit(cancelled_event(task, application, reason="withdrawn by the applicant"))
            cancelled.append(task.id)
    return cancelled


async def review_application(
    number: str, principal: Principal, *, level: int, comment: str, deps: Collaborators
) -> tuple[Review, Rectification | None]:
    """好差评, once, after 办结; a bad review (1–2) opens a rectification for the lead department."""
    async with deps.uow() as uow:
        application = await acting_applicant(uow, number, principal, clerk_may_act=False)
        if application.status not in (
            ApplicationStatus.completed,
            ApplicationStatus.completed_with_rejections,
        ):
            raise ConflictError("An application can be reviewed only after it is completed.")
        if await uow.session.get(Review, application.id) is not None:
            raise ConflictError("This application has already been reviewed.")
        review = Review(
            application_id=application.id,
            applicant_id=principal.subject,
            level=level,
            label=level_label(level),
            comment=comment,
            bad=is_bad(level),
            submitted_at=deps.now(),
        )
        rectification = _rectification(application, review, deps) if review.bad else None
        uow.session.add_all([review, *([rectification] if rectification else [])])
        uow.record(application.id, actor=principal.subject, kind="reviewed", level=level, label=review.label)
        uow.emit(
            new_event(
                ev.REVIEW_SUBMITTED,
                ev.ReviewSubmitted(
                    **ids(application, with_applicant=True),
                    matter_code=application.matter_code,
                    lead_department=application.lead_department,
                    level=level,
                    comment=comment,
                    bad=review.bad,
                    rectification_id=rectification.id if rectification else None,
                    rectification_due=rectification.due if rectification else None,
                    submitted_at=review.submitted_at,
                ),
            )
        )
        await uow.commit()
        return review, rectification


def _rectification(application: Application, review: Review, deps: Collaborators) -> Rectification:
    return Rectification(
        id=str(uuid.uuid4()),
        **ids(application),
        department=application.lead_department,
        level=review.level,
        comment=review.comment,
        due=deps.calendar.add_working_days(deps.today(), RECTIFICATION_WORKING_DAYS),
    )
