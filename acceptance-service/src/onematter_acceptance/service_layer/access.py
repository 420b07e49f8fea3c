"""Who may see which application: not yours → 404, never 403 (the number's existence is not disclosed)."""

from __future__ import annotations

from onematter_kit.errors import NotFoundError
from onematter_kit.identity import Principal, Role
from sqlalchemy import select

from onematter_acceptance.adapters.repository import AcceptanceUnitOfWork
from onematter_acceptance.adapters.tables import Application, Task

__all__ = ["acting_applicant", "visible_application"]


async def can_see(uow: AcceptanceUnitOfWork, application: Application, principal: Principal) -> bool:
    if principal.has(Role.supervisor) or principal.has(Role.admin):
        return True
    if principal.has(Role.applicant) and application.applicant_id == principal.subject:
        return True
    if principal.has(Role.clerk) and application.submitted_by == principal.subject:
        return True
    if principal.has(Role.officer) and principal.department:
        found = await uow.session.execute(
            select(Task.id)
            .where(Task.application_id == application.id, Task.department == principal.department)
            .limit(1)
        )
        return found.first() is not None
    return False


async def visible_application(
    uow: AcceptanceUnitOfWork, number: str, principal: Principal, *, lock: bool = False
) -> Application:
    application = await uow.application_by_number(number, lock=lock)
    if application is None or not await can_see(uow, application, principal):
        raise NotFoundError(f"No application {number}.")
    return application


async def acting_applicant(
    uow: AcceptanceUnitOfWork, number: str, principal: Principal, *, clerk_may_act: bool = True
) -> Application:
    """The application, locked, if ``principal`` is its applicant or (帮办代办) the clerk who submitted it."""
    application = await uow.application_by_number(number, lock=True)
    mine = application is not None and (
        (principal.has(Role.applicant) and application.applicant_id == principal.subject)
        or (clerk_may_act and principal.has(Role.clerk) and application.submitted_by == principal.subject)
    )
    if not mine:
        raise NotFoundError(f"No application {number}.")
    return application  # type: ignore[return-value]
