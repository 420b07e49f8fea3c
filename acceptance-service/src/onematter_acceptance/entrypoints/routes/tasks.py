"""``/api/v1/tasks`` (officers, own department only) and ``/api/v1/rectifications`` (supervisors)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from onematter_kit.identity import Role
from onematter_kit.internal_auth import CurrentPrincipal, require_roles
from sqlalchemy import func, select

from onematter_acceptance.adapters.tables import Rectification
from onematter_acceptance.entrypoints.routes import Deps, Limit, Offset
from onematter_acceptance.entrypoints.schemas import DecisionIn, RejectIn, SupplementRequestIn
from onematter_acceptance.service_layer import tasks, views
from onematter_acceptance.service_layer.rectifications import rectification_view

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["tasks"])
_officer = [require_roles(Role.officer)]


@router.get("/tasks", dependencies=_officer)
async def list_tasks(
    principal: CurrentPrincipal,
    deps: Deps,
    limit: Limit = 20,
    offset: Offset = 0,
    status: str | None = None,
    overdue: bool | None = None,
    acceptance_number: str | None = None,
) -> dict[str, Any]:
    """Most urgent first; ``?status=``, ``?overdue=true|false``, ``?acceptance_number=`` filter."""
    return await views.list_tasks(
        principal,
        deps,
        limit=limit,
        offset=offset,
        status=status,
        overdue=overdue,
        acceptance_number=acceptance_number,
    )


@router.get("/tasks/{task_id}", dependencies=_officer)
async def read_task(task_id: str, principal: CurrentPrincipal, deps: Deps) -> dict[str, Any]:
    return await views.task_detail(task_id, principal, deps)


@router.post("/tasks/{task_id}/approve", dependencies=_officer)
async def approve(
    task_id: str, principal: CurrentPrincipal, deps: Deps, body: DecisionIn | None = None
) -> dict[str, Any]:
    body = body or DecisionIn()
    decision = tasks.Decision(
        "approved",
        reason=body.comment,
        licence_type=body.licence_type,
        licence_number=body.licence_number,
        licence_valid_until=body.licence_valid_until,
    )
    await tasks.decide_task(task_id, principal, decision, deps)
    return await views.task_detail(task_id, principal, deps)


@router.post("/tasks/{task_id}/reject", dependencies=_officer)
async def reject(task_id: str, body: RejectIn, principal: CurrentPrincipal, deps: Deps) -> dict[str, Any]:
    await tasks.decide_task(task_id, principal, tasks.Decision("rejected", reason=body.reason), deps)
    return await views.task_detail(task_id, principal, deps)


@router.post("/tasks/{task_id}/request-supplement", dependencies=_officer)
async def request_supplement(
    task_id: str, body: SupplementRequestIn, principal: CurrentPrincipal, deps: Deps
) -> dict[str, Any]:
    await tasks.request_supplement(
        task_id, principal, materials=body.materials, reason=body.reason, deps=deps
    )
    return await views.task_detail(task_id, principal, deps)


@router.get("/rectifications", dependencies=[require_roles(Role.supervisor)])
async def rectifications(
    deps: Deps,
    limit: Limit = 20,
    offset: Offset = 0,
    department: str | None = None,
    status: Literal["open", "closed"] | None = None,
) -> dict[str, Any]:
    query = select(Rectification)
    if department:
        query = query.where(Rectification.department == department)
    if status:
        query = query.where(Rectification.status == status)
    async with deps.uow() as uow:
        total = (await uow.session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
        rows = (
            await uow.session.execute(query.order_by(Rectification.due).limit(limit).offset(offset))
        ).scalars()
        items = [rectification_view(r) for r in rows]
    return {"items": items, "total": total, "limit": limit, "offset": offset}
