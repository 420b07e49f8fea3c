"""Supervisor routes (效能监督): statistics per key matter and per department; closing rectifications."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from onematter_kit.errors import ValidationProblem
from onematter_kit.identity import Role
from onematter_kit.internal_auth import CurrentPrincipal, require_roles
from pydantic import BeforeValidator

from onematter_acceptance.entrypoints.routes import Deps
from onematter_acceptance.entrypoints.schemas import CloseRectificationIn
from onematter_acceptance.service_layer.rectifications import close_rectification
from onematter_acceptance.service_layer.statistics import (
    Period,
    department_statistics,
    matter_statistics,
)

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["supervision"])
_SUPERVISORS = [require_roles(Role.supervisor, Role.admin)]


def _iso_only(value: object) -> object:
    """Only ``YYYY-MM-DD``: pydantic would also read a number as a Unix time (``to=0`` → 1970-01-01)."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_only)]
From = Annotated[IsoDate | None, Query(alias="from", description="First submission date (ISO, inclusive)")]
To = Annotated[IsoDate | None, Query(alias="to", description="Last submission date (ISO, inclusive)")]


def _period(start: date | None, end: date | None) -> Period:
    if start and end and end < start:
        raise ValidationProblem(
            "The period ends before it starts.", errors=[{"field": "to", "message": "is before from"}]
        )
    return Period(start, end)


@router.get("/statistics/matters", dependencies=_SUPERVISORS)
async def statistics_by_matter(deps: Deps, start: From = None, end: To = None) -> dict[str, Any]:
    """Per key matter: applications submitted in the period, 办结, on time, working days, 少交材料, 差评."""
    return await matter_statistics(_period(start, end), deps)


@router.get("/statistics/departments", dependencies=_SUPERVISORS)
async def statistics_by_department(deps: Deps, start: From = None, end: To = None) -> dict[str, Any]:
    """Per department: the same figures counted over its tasks (one per service item)."""
    return await department_statistics(_period(start, end), deps)


@router.post("/rectifications/{rectification_id}/close", dependencies=[require_roles(Role.supervisor)])
async def close(
    rectification_id: str, body: CloseRectificationIn, principal: CurrentPrincipal, deps: Deps
) -> dict[str, Any]:
    return await close_rectification(rectification_id, principal, note=body.note, deps=deps)
