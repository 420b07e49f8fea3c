"""Who may see and act on which application. Not yours → 404, never 403: whether an acceptance number
exists is not disclosed. An officer sees and acts only on tasks of its own department (need to know)."""

from __future__ import annotations

from onematter_kit.errors import NotFoundError
from onematter_kit.identity import Principal, Role

from onematter_acceptance.domain.application import Application
from onematter_acceptance.domain.task import Task
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["acting_applicant", "can_see", "need_to_know", "officers_task", "visible_application"]


def can_see(application: Application, principal: Principal) -> bool:
    """Supervisors, admins; the applicant; the clerk who submitted; an officer of a task's department."""
    if principal.has(Role.supervisor) or principal.has(Role.admin):
        return True
    if principal.has(Role.applicant) and application.applicant_id == principal.subject:
        return True
    if principal.has(Role.clerk) and application.submitted_by == principal.subject:
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
    """The application, locked, if ``principal`` is its applicant or (帮办代办) the clerk who submitted it."""
    application = await uow.applications.get(number, lock=lock)
    if application is None or not _acts_for(application, principal, clerk_may_act=clerk_may_act):
        raise NotFoundError(f"No application {number}.")
    return application


def _acts_for(application: Application, principal: Principal, *, clerk_may_act: bool) -> bool:
    if principal.has(Role.applicant) and application.applicant_id == principal.subject:
        return True
    return clerk_may_act and principal.has(Role.clerk) and application.submitted_by == principal.subject


async def officers_task(
    uow: AcceptanceUnitOfWork, task_id: str, officer: Principal, *, lock: bool = False
) -> tuple[Task, Application]:
    """The officer's task and its application (both locked with ``lock``); 404 unless it is the officer's."""
    application = await uow.applications.for_task(task_id, lock=lock) if officer.has(Role.officer) else None
    task = application.task(task_id) if application is not None else None
    if task is None or application is None or task.department != officer.department:
        raise NotFoundError(f"No task {task_id}.")
    return task, application
