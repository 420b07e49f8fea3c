"""Who may see and act on which application. Not yours → 404, never 403: whether an acceptance number
exists is not disclosed. An officer sees and acts only on tasks of its own department (need to know).
The delegate who submitted an application for someone else acts on it again (answers a 补正, withdraws)
only under a delegation in force allowing ``submit`` for its matter — 403 otherwise (issue 16)."""

from __future__ import annotations

from onematter_kit.errors import NotFoundError
from onematter_kit.identity import Principal, Role

from onematter_acceptance.domain.application import Application
from onematter_acceptance.domain.task import Task
from onematter_acceptance.service_layer.acting import delegation_in_force
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["acting_applicant", "can_see", "need_to_know", "officers_task", "visible_application"]


def can_see(application: Application, principal: Principal) -> bool:
    """Supervisors, admins; the applicant; the clerk who submitted; an officer of a task's department."""
    if principal.has(Role.supervisor) or principal.has(Role.admin):
        return True
    if principal.has(Role.applicant) and _own(application, principal):
        return True
    if _delegate(principal) and application.submitted_by == principal.subject:
        return True
    return bool(
        principal.has(Role.officer) and principal.department and application.has_task_of(principal.department)
    )


def need_to_know(principal: Principal) -> bool:
    """An officer (who is not also a supervisor) sees only its own department's share of an application."""
    return principal.has(Role.officer) and not principal.has(Role.supervisor)


async def visible_application(uow: AcceptanceUnitOfWork, number: str, principal: Principal) -> Application:
    application = await uow.applications.get(number)
    if application is None or not can_see(application, principal):
        raise NotFoundError(f"No application {number}.")
    return application


async def acting_applicant(
    uow: AcceptanceUnitOfWork,
    number: str,
    principal: Principal,
    *,
    clerk_may_act: bool = True,
    lock: bool = True,
) -> Application:
    """The application, locked, if ``principal`` is its applicant (or the applicant enterprise's legal
    representative), or (帮办代办, ``clerk_may_act``) the delegate who submitted it holding a delegation in
    force allowing ``submit`` for its matter — 403 (nothing changed) without one; 404 for anyone else.
    A handler acting through a delegate then calls ``acting.record_use`` for the access log."""
    application = await uow.applications.get(number, lock=lock)
    if application is not None and principal.has(Role.applicant) and _own(application, principal):
        return application
    submitter = application is not None and application.submitted_by == principal.subject
    if application is None or not (clerk_may_act and _delegate(principal) and submitter):
        raise NotFoundError(f"No application {number}.")
    await delegation_in_force(
        uow,
        applicant_id=application.applicant_id,
        delegate_id=principal.subject,
        matter_code=application.matter_code,
        action="submit",
    )
    return application


def _own(application: Application, principal: Principal) -> bool:
    """The applicant itself, or the legal representative (法定代表人) of the applicant enterprise."""
    return application.applicant_id == principal.subject or principal.represents(application.applicant_id)


def _delegate(principal: Principal) -> bool:
    """Who may act for another applicant at all: a window clerk or an agent (an applicant themselves)."""
    return principal.has(Role.clerk) or principal.has(Role.applicant)


async def officers_task(
    uow: AcceptanceUnitOfWork, task_id: str, officer: Principal, *, lock: bool = False
) -> tuple[Task, Application]:
    """The officer's task and its application (both locked with ``lock``); 404 unless it is the officer's."""
    application = await uow.applications.for_task(task_id, lock=lock) if officer.has(Role.officer) else None
    task = application.task(task_id) if application is not None else None
    if task is None or application is None or task.department != officer.department:
        raise NotFoundError(f"No task {task_id}.")
    return task, application
