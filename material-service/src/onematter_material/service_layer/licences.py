"""Electronic licences (电子证照): issue on an approved task, list the holder's own, verify by code.

Every date is judged in China: a licence's status is as of ``uow.clock.today()``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from onematter_events import new_event
from onematter_events.applications import TaskCompleted
from onematter_events.materials import LICENCE_ISSUED, LicenceIssued
from onematter_kit.errors import NotFoundError
from onematter_kit.identity import Principal

from onematter_material.adapters.tables import Licence
from onematter_material.domain.licences import (
    LicenceStatus,
    LicenceVerification,
    licence_for,
    status_on,
    verification,
)
from onematter_material.service_layer.unit_of_work import MaterialUnitOfWork

__all__ = ["ListLicences", "issue_licence", "list_licences", "verify_licence"]

log = logging.getLogger("onematter.material.licences")


@dataclass(frozen=True, kw_only=True)
class ListLicences:
    holder: Principal
    licence_type: str | None
    limit: int
    offset: int


async def issue_licence(task: TaskCompleted, uow: MaterialUnitOfWork) -> Licence | None:
    """Issue the licence an approved task carries, once per (task, licence type), and emit
    ``licence.issued``. Runs inside the consumer's unit of work (the consumer commits)."""
    new = licence_for(task, now=uow.clock.now())
    if new is None:
        return None
    existing = await uow.licences.for_task(new.task_id, new.licence_type)
    if existing is not None:  # the same approval re-sent under a new event id
        return existing
    licence = await uow.licences.add(new)
    uow.emit(new_event(LICENCE_ISSUED, _issued(licence)))
    log.info("licence issued", extra={"licence_id": licence.id, "licence_type": licence.licence_type})
    return licence


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
