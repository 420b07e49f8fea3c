"""Supervisor routes (效能监督): statistics per key matter and per department; rectifications."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from onematter_kit.errors import ValidationProblem
from onematter_kit.identity import Role
from onematter_kit.internal_auth import CurrentPrincipal, require_roles
from onematter_kit.paging import Limit, Offset, Page
from pydantic import BeforeValidator

from onematter_acceptance.domain.statistics import Period
from onematter_acceptance.entrypoints.deps import UowDep
from onematter_acceptance.entrypoints.public.supervision import RectificationPublic, StatisticsPublic
from onematter_acceptance.entrypoints.schemas import CloseRectificationIn
from onematter_acceptance.service_layer import supervision
from onematter_acceptance.service_layer.commands import CloseRectification

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["supervision"])
_SUPERVISORS = [require_roles(Role.supervisor, Role.admin)]


def _iso_only(value: object) -> object:
    """Only ``YYYY-MM-DD``: pydantic would also read a number as a Unix time (``to=0`` → 1970-01-01)."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_only)]
From = Annotated[
    IsoDate | None, Query(alias="from", description="First submission date in China (inclusive)")
]
To = Annotated[IsoDate | None, Query(alias="to", description="Last submission date in China (inclusive)")]


def _period(start: date | None, end: date | None) -> Period:
    if start and end and end < start:
        raise ValidationProblem(
            "The period ends before it starts.", errors=[{"field": "to", "message": "is before from"}]
        )
    return Period(start, end)


@router.get("/statistics/matters", dependencies=_SUPERVISORS)
async def statistics_by_matter(uow: UowDep, start: From = None, end: To = None) -> StatisticsPublic:
    """Per key matter: applications submitted in the period, 办结, on time, working days, 少交材料, 差评."""
    query = supervision.ReadStatistics("matter", _period(start, end))
    return StatisticsPublic.of(await supervision.statistics(query, uow))


@router.get("/statistics/departments", dependencies=_SUPERVISORS)
async def statistics_by_department(uow: UowDep, start: From = None, end: To = None) -> StatisticsPublic:
    """Per department: the same figures counted over its tasks (one per service item)."""
    query = supervision.ReadStatistics("department", _period(start, end))
    return StatisticsPublic.of(await supervision.statistics(query, uow))


@router.get("/rectifications", dependencies=[require_roles(Role.supervisor)])
async def rectifications(
    uow: UowDep,
    limit: Limit = 20,
    offset: Offset = 0,
    department: str | None = None,
    status: Literal["open", "closed"] | None = None,
) -> Page[RectificationPublic]:
    """Earliest due first."""
    query = supervision.ListRectifications(limit=limit, offset=offset, department=department, status=status)
    found, total = await supervision.list_rectifications(query, uow)
    return Page[RectificationPublic](
        items=[RectificationPublic.of(r) for r in found], total=total, limit=limit, offset=offset
    )


@router.post("/rectifications/{rectification_id}/close", dependencies=[require_roles(Role.supervisor)])
async def close(
    rectification_id: str, body: CloseRectificationIn, principal: CurrentPrincipal, uow: UowDep
) -> RectificationPublic:
    command = CloseRectification(rectification_id=rectification_id, supervisor=principal, note=body.note)
    return RectificationPublic.of(await supervision.close_rectification(command, uow))
