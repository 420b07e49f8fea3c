"""``/api/v1/licences``: the holder's electronic licences (电子证照), public verification by code, and
revocation (吊销) or cancellation (注销) by the issuing department."""

from __future__ import annotations

from fastapi import APIRouter, Query
from onematter_kit.paging import Limit, Offset, Page

from onematter_material.domain.licences import LicenceStatus
from onematter_material.entrypoints.deps import Applicant, Officer, UowDep
from onematter_material.entrypoints.schemas import (
    LicenceEndIn,
    LicencePublic,
    LicenceStatusPublic,
    LicenceVerificationPublic,
)
from onematter_material.service_layer import licences as handlers

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/licences", tags=["licences"])


@router.get("", response_model=Page[LicencePublic])
async def list_licences(
    holder: Applicant,
    uow: UowDep,
    limit: Limit = 20,
    offset: Offset = 0,
    licence_type: str | None = Query(default=None, max_length=64),
) -> Page[LicencePublic]:
    """The caller's own licences (other services call this on the applicant's behalf for 免证办);
    ``status`` is as of today in China, so an expired licence reads ``expired``."""
    query = handlers.ListLicences(holder=holder, licence_type=licence_type, limit=limit, offset=offset)
    rows, total = await handlers.list_licences(query, uow)
    items = [LicencePublic.model_validate(row).model_copy(update={"status": status}) for row, status in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/verify/{code}", response_model=LicenceVerificationPublic)
async def verify(code: str, uow: UowDep) -> LicenceVerificationPublic:
    """Anyone holding the code may check that a licence is genuine and valid; 404 for an unknown code."""
    return LicenceVerificationPublic.model_validate(await handlers.verify_licence(code, uow))


@router.post("/{licence_id}/revoke", response_model=LicenceStatusPublic)
async def revoke(licence_id: str, body: LicenceEndIn, officer: Officer, uow: UowDep) -> LicenceStatusPublic:
    """吊销 by the issuing department, with a reason; 404 for anyone else's licence, 409 if already ended.
    A revoked licence no longer satisfies a material (免证办) and verification shows ``revoked``."""
    return await _end(licence_id, body, officer, uow, action=LicenceStatus.revoked)


@router.post("/{licence_id}/cancel", response_model=LicenceStatusPublic)
async def cancel(licence_id: str, body: LicenceEndIn, officer: Officer, uow: UowDep) -> LicenceStatusPublic:
    """注销 by the issuing department, with a reason; otherwise as revoke."""
    return await _end(licence_id, body, officer, uow, action=LicenceStatus.cancelled)


async def _end(
    licence_id: str, body: LicenceEndIn, officer: Officer, uow: UowDep, *, action: LicenceStatus
) -> LicenceStatusPublic:
    command = handlers.EndLicence(licence_id=licence_id, officer=officer, action=action, reason=body.reason)
    return LicenceStatusPublic.model_validate(await handlers.end_licence_by_issuer(command, uow))
