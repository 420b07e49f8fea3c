"""Electronic licences (电子证照): issue on an approved task as its item declares, list the holder's own,
verify by code, and let the issuing department revoke (吊销) or cancel (注销) one with a reason.

Every date is judged in China: a licence's status is as of ``uow.clock.today()``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from onematter_events import new_event
from onematter_events.applications import TaskCompleted
from onematter_events.materials import (
    LICENCE_CANCELLED,
    LICENCE_ISSUED,
    LICENCE_REVOKED,
    LicenceEnded,
    LicenceIssued,
)
from onematter_kit.errors import ConflictError, NotFoundError
from onematter_kit.identity import Principal, Role

from onematter_material.adapters.tables import Licence
from onematter_material.domain.licences import (
    LicenceNotChangeable,
    LicenceStatus,
    LicenceVerification,
    declared_result,
    end_licence,
    issue_date,
    licence_for,
    number_stem,
    status_on,
    verification,
)
from onematter_material.service_layer.unit_of_work import MaterialUnitOfWork

__all__ = [
    "EndLicence",
    "ListLicences",
    "end_licence_by_issuer",
    "issue_licence",
    "list_licences",
    "verify_licence",
]

log = logging.getLogger("onematter.material.licences")


@dataclass(frozen=True, kw_only=True)
class ListLicences:
    holder: Principal
    licence_type: str | None
    limit: int
    offset: int


@dataclass(frozen=True, kw_only=True)
class EndLicence:
    """An officer of the issuing department revokes (吊销) or cancels (注销) a licence, saying why."""

    licence_id: str
    officer: Principal
    action: LicenceStatus
    reason: str


async def issue_licence(task: TaskCompleted, uow: MaterialUnitOfWork) -> Licence | None:
    """Issue the licence the approved task's item declares, once per (task, licence type), and emit
    ``licence.issued``; an approval without a matching declaration issues nothing (logged). Runs inside the
    consumer's unit of work (the consumer commits)."""
    result = declared_result(task)
    if result is None:
        if task.licence_type:
            log.warning(
                "approval names a licence its item does not declare; none issued",
                extra={"task_id": task.task_id, "licence_type": task.licence_type},
            )
        return None
    existing = await uow.licences.for_task(task.task_id, result.licence_type)
    if existing is not None:  # the same approval re-sent under a new event id
        return existing
    if result.number_source == "department" and await uow.licences.numbered(
        result.licence_type, task.licence_number or ""
    ):
        log.warning(
            "a department register number already issued; none issued", extra={"task_id": task.task_id}
        )
        return None  # numbers are unique per type: the department's register has a duplicate
    stem = number_stem(result, issue_date(task.completed_at))
    sequence = await uow.licences.claim_sequence(stem)
    licence = await uow.licences.add(licence_for(task, result, sequence=sequence, now=uow.clock.now()))
    uow.emit(new_event(LICENCE_ISSUED, _issued(licence)))
    log.info("licence issued", extra={"licence_id": licence.id, "licence_type": licence.licence_type})
    return licence


async def end_licence_by_issuer(cmd: EndLicence, uow: MaterialUnitOfWork) -> Licence:
    """吊销/注销: 404 unless the officer belongs to the issuing department (not disclosed otherwise); 409 if
    the licence already ended. Emits ``licence.revoked`` / ``licence.cancelled`` in the same transaction;
    verification then shows the new status and its date."""
    async with uow:
        licence = await uow.licences.get(cmd.licence_id, lock=True)
        if licence is None or not _issuer(cmd.officer, licence):
            raise NotFoundError("No such licence.")
        try:
            licence.status = end_licence(licence.status, cmd.action)
        except LicenceNotChangeable as exc:
            raise ConflictError(str(exc)) from None
        licence.status_reason, licence.status_changed_by = cmd.reason, cmd.officer.subject
        licence.status_changed_at = uow.clock.now()
        uow.emit(new_event(_ENDED[licence.status], _ended(licence)))  # through the outbox: the holder is told
        await uow.commit()
    log.info("licence ended", extra={"licence_id": licence.id, "status": licence.status})
    return licence


def _issuer(officer: Principal, licence: Licence) -> bool:
    return officer.has(Role.officer) and officer.department == licence.issuing_department


_ENDED = {LicenceStatus.revoked: LICENCE_REVOKED, LicenceStatus.cancelled: LICENCE_CANCELLED}


def _ended(licence: Licence) -> LicenceEnded:
    assert licence.status_reason is not None and licence.status_changed_at is not None
    return LicenceEnded(
        licence_id=licence.id,
        holder_id=licence.holder_id,
        licence_type=licence.licence_type,
        number=licence.number,
        issuing_department=licence.issuing_department,
        status=LicenceStatus(licence.status).value,
        reason=licence.status_reason,
        ended_at=licence.status_changed_at,
        application_id=licence.application_id,
        task_id=licence.task_id,
    )


def _issued(licence: Licence) -> LicenceIssued:
    return LicenceIssued(
        licence_id=licence.id,
        holder_id=licence.holder_id,
        licence_type=licence.licence_type,
        number=licence.number,
        issuing_department=licence.issuing_department,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        application_id=licence.application_id,
        task_id=licence.task_id,
        issued_at=licence.issued_at,
        subject_name=licence.subject_name,
    )


async def list_licences(
    query: ListLicences, uow: MaterialUnitOfWork
) -> tuple[list[tuple[Licence, LicenceStatus]], int]:
    """The holder's own licences with their status today, and how many there are.

    Events carry no names; the holder's own request does, so it is kept (shown masked on verification)."""
    async with uow:
        if query.holder.name and await uow.licences.name_holder(query.holder.subject, query.holder.name):
            await uow.commit()
        rows, total = await uow.licences.page(
            query.holder.subject, licence_type=query.licence_type, limit=query.limit, offset=query.offset
        )
        today = uow.clock.today()
        return [(row, status_on(row.status, valid_until=row.valid_until, today=today)) for row in rows], total


async def verify_licence(code: str, uow: MaterialUnitOfWork) -> LicenceVerification:
    """What anyone holding the code may see of the licence today; 404 for an unknown code."""
    async with uow:
        licence = await uow.licences.by_code(code.strip().upper())
        if licence is None:
            raise NotFoundError("No licence has this verification code.")
        return verification(licence, today=uow.clock.today())
