"""``/api/v1/tasks``: officers read and decide the tasks of their own department only."""

from __future__ import annotations

from fastapi import APIRouter
from onematter_kit.identity import Principal, Role
from onematter_kit.internal_auth import CurrentPrincipal, require_roles
from onematter_kit.paging import Limit, Offset, Page

from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.entrypoints.deps import CalendarDep, UowDep
from onematter_acceptance.entrypoints.public.tasks import QueuedTaskPublic
from onematter_acceptance.entrypoints.schemas import DecisionIn, RejectIn, SupplementRequestIn
from onematter_acceptance.service_layer import queries, tasks
from onematter_acceptance.service_layer.commands import DecideTask, RequestSupplement
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["tasks"])
_officer = [require_roles(Role.officer)]


async def _task(
    task_id: str, officer: Principal, *, uow: AcceptanceUnitOfWork, calendar: WorkCalendar
) -> QueuedTaskPublic:
    reading = await queries.read_task(queries.ReadTask(task_id, officer), uow, calendar=calendar)
    return QueuedTaskPublic.of(reading)


@router.get("/tasks", dependencies=_officer)
async def list_tasks(
    principal: CurrentPrincipal,
    uow: UowDep,
    calendar: CalendarDep,
    limit: Limit = 20,
    offset: Offset = 0,
    status: str | None = None,
    overdue: bool | None = None,
    acceptance_number: str | None = None,
) -> Page[QueuedTaskPublic]:
    """Most urgent first; ``?status=``, ``?overdue=true|false``, ``?acceptance_number=`` filter."""
    query = queries.ListTasks(
        officer=principal,
        limit=limit,
        offset=offset,
        status=status,
        overdue=overdue,
        acceptance_number=acceptance_number,
    )
    found, total = await queries.list_tasks(query, uow, calendar=calendar)
    items = [QueuedTaskPublic.of(r) for r in found]
    return Page[QueuedTaskPublic](items=items, total=total, limit=limit, offset=offset)


@router.get("/tasks/{task_id}", dependencies=_officer)
async def read_task(
    task_id: str, principal: CurrentPrincipal, uow: UowDep, calendar: CalendarDep
) -> QueuedTaskPublic:
    return await _task(task_id, principal, uow=uow, calendar=calendar)


@router.post("/tasks/{task_id}/approve", dependencies=_officer)
async def approve(
    task_id: str,
    principal: CurrentPrincipal,
    uow: UowDep,
    calendar: CalendarDep,
    body: DecisionIn | None = None,
) -> QueuedTaskPublic:
    body = body or DecisionIn()
    command = DecideTask(
        task_id=task_id,
        officer=principal,
        outcome="approved",
        reason=body.comment,
        licence_type=body.licence_type,
        licence_number=body.licence_number,
        licence_valid_until=body.licence_valid_until,
    )
    await tasks.decide_task(command, uow, calendar=calendar)
    return await _task(task_id, principal, uow=uow, calendar=calendar)


@router.post("/tasks/{task_id}/reject", dependencies=_officer)
async def reject(
    task_id: str, body: RejectIn, principal: CurrentPrincipal, uow: UowDep, calendar: CalendarDep
) -> QueuedTaskPublic:
    command = DecideTask(task_id=task_id, officer=principal, outcome="rejected", reason=body.reason)
    await tasks.decide_task(command, uow, calendar=calendar)
    return await _task(task_id, principal, uow=uow, calendar=calendar)


@router.post("/tasks/{task_id}/request-supplement", dependencies=_officer)
async def request_supplement(
    task_id: str, body: SupplementRequestIn, principal: CurrentPrincipal, uow: UowDep, calendar: CalendarDep
) -> QueuedTaskPublic:
    command = RequestSupplement(
        task_id=task_id, officer=principal, materials=body.materials, reason=body.reason, due_on=body.due_on
    )
    await tasks.request_supplement(command, uow, calendar=calendar)
    return await _task(task_id, principal, uow=uow, calendar=calendar)
