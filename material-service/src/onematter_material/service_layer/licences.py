"""Electronic licences (电子证照): issue on an approved task, list the holder's own, verify by code."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from onematter_events import new_event
from onematter_events.applications import TaskCompleted
from onematter_events.materials import LICENCE_ISSUED, LicenceIssued
from onematter_kit.errors import NotFoundError
from onematter_kit.identity import Principal
from onematter_kit.unit_of_work import SqlUnitOfWork
from sqlalchemy import select

from onematter_material.adapters.tables import Licence
from onematter_material.domain.licences import (
    mask_name,
    new_licence_number,
    new_verification_code,
    status_on,
)

__all__ = ["LicenceVerification", "issue_licence", "remember_holder_name", "verify_licence"]

log = logging.getLogger("onematter.material.licences")


async def issue_licence(uow: SqlUnitOfWork, task: TaskCompleted) -> Licence | None:
    """Issue the licence an approved task carries (免证办 later), once per (task, licence type).

    Called inside the consumer's transaction; emits ``licence.issued``; does not commit."""
    if task.outcome != "approved" or not task.licence_type:
        return None
    existing = (
        await uow.session.execute(
            select(Licence).where(Licence.task_id == task.task_id, Licence.licence_type == task.licence_type)
        )
    ).scalar_one_or_none()
    if existing is not None:  # the same approval re-sent under a new event id
        return existing
    issued_on = task.completed_at.date()
    licence = Licence(
        licence_type=task.licence_type,
        holder_id=task.applicant_id,
        issuing_department=task.department,
        number=task.licence_number
        or new_licence_number(
            licence_type=task.licence_type, department=task.department, issued_on=issued_on
        ),
        valid_from=issued_on,
        valid_until=task.licence_valid_until,
        verification_code=new_verification_code(),
        application_id=task.application_id,
        task_id=task.task_id,
    )
    uow.session.add(licence)
    await uow.session.flush()
    uow.emit(
        new_event(
            LICENCE_ISSUED,
            LicenceIssued(
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
            ),
        )
    )
    log.info("licence issued", extra={"licence_id": licence.id, "licence_type": licence.licence_type})
    return licence


async def remember_holder_name(uow: SqlUnitOfWork, holder: Principal) -> None:
    """Events carry no names; the holder's own request does. Stored so verification can show it masked."""
    if not holder.name:
        return
    statement = select(Licence).where(
        Licence.holder_id == holder.subject, Licence.holder_name.is_distinct_from(holder.name)
    )  # type: ignore[union-attr]
    licences = (await uow.session.execute(statement)).scalars().all()
    for licence in licences:
        licence.holder_name = holder.name
    if licences:
        await uow.commit()


@dataclass(frozen=True)
class LicenceVerification:
    """What a public verification shows: only what is printed on the licence, the name masked."""

    licence_type: str
    number: str
    issuing_department: str
    valid_from: date
    valid_until: date | None
    status: str
    holder_name_masked: str | None
    genuine: bool = True


async def verify_licence(uow: SqlUnitOfWork, code: str, *, today: date) -> LicenceVerification:
    licence = (
        await uow.session.execute(select(Licence).where(Licence.verification_code == code.strip().upper()))
    ).scalar_one_or_none()
    if licence is None:
        raise NotFoundError("No licence has this verification code.")
    return LicenceVerification(
        licence_type=licence.licence_type,
        number=licence.number,
        issuing_department=licence.issuing_department,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        status=status_on(licence.status, valid_until=licence.valid_until, today=today),
        holder_name_masked=mask_name(licence.holder_name),
    )
