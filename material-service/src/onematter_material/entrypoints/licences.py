"""``/api/v1/licences``: the holder's electronic licences (电子证照) and public verification by code."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query
from sqlalchemy import select

from onematter_material.adapters import repository as repo
from onematter_material.adapters.tables import Licence
from onematter_material.domain.licences import status_on
from onematter_material.entrypoints.deps import Applicant, PageDep, UowDep
from onematter_material.entrypoints.schemas import LicencePublic, LicenceVerificationPublic, Page
from onematter_material.service_layer.licences import remember_holder_name, verify_licence

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/licences", tags=["licences"])


@router.get("", response_model=Page[LicencePublic])
async def list_licences(
    holder: Applicant,
    uow: UowDep,
    page: PageDep,
    licence_type: str | None = Query(default=None, max_length=64),
) -> dict[str, object]:
    """The caller's own licences (other services call this on the applicant's behalf for 免证办);
    ``status`` is as of today, so an expired licence reads ``expired``."""
    async with uow:
        await remember_holder_name(uow, holder)
        statement = select(Licence).where(Licence.holder_id == holder.subject)
        if licence_type:
            statement = statement.where(Licence.licence_type == licence_type)
        rows, total = await repo.count_and_page(
            uow.session,
            statement,
            order_by=[Licence.issued_at.desc(), Licence.id],
            limit=page.limit,
            offset=page.offset,
        )  # type: ignore[attr-defined]
        today = date.today()
        items = [
            LicencePublic.model_validate(row, from_attributes=True).model_copy(
                update={"status": status_on(row.status, valid_until=row.valid_until, today=today)}
            )
            for row in rows
        ]
    return {"items": items, "total": total, "limit": page.limit, "offset": page.offset}


@router.get("/verify/{code}", response_model=LicenceVerificationPublic)
async def verify(code: str, uow: UowDep) -> object:
    """Anyone holding the code may check that a licence is genuine and valid; 404 for an unknown code."""
    async with uow:
        result = await verify_licence(uow, code, today=date.today())
    return LicenceVerificationPublic.model_validate(result, from_attributes=True)
