"""Need-to-know grants driven by task events (rules in :mod:`onematter_material.domain.grants`).

These are event handlers ``handler(event, uow)``: the kit's idempotent consumer opens the unit of work,
records the event id and commits, so an event's effect and its "processed" mark are one transaction —
the handlers load, apply the rule and store, and never commit themselves.
"""

from __future__ import annotations

import logging
from typing import TypeVar

from onematter_events import CloudEvent, EventPayload, parse_payload
from onematter_events.applications import (
    ApplicationSupplementReceived,
    TaskAssigned,
    TaskCancelled,
    TaskCompleted,
)

from onematter_material.domain.grants import GrantRequest, grants_for_assignment, grants_for_supplement
from onematter_material.service_layer.licences import issue_licence
from onematter_material.service_layer.unit_of_work import MaterialUnitOfWork

__all__ = ["on_supplement_received", "on_task_assigned", "on_task_cancelled", "on_task_completed"]

log = logging.getLogger("onematter.material.grants")
P = TypeVar("P", bound=EventPayload)


def _payload(event: CloudEvent, kind: type[P]) -> P:
    payload = parse_payload(event)
    if not isinstance(payload, kind):  # the consumer routes by type; anything else is a wiring bug
        raise TypeError(f"{event.type} does not carry {kind.__name__}")
    return payload


async def _grant(uow: MaterialUnitOfWork, request: GrantRequest) -> None:
    if not request.wanted:
        return
    owned = await uow.materials.owned_ids(request.wanted, owner_id=request.applicant_id)
    already = await uow.grants.granted_materials(request.task_id)
    await uow.grants.add(
        task_id=request.task_id,
        department=request.department,
        application_id=request.application_id,
        material_ids=request.to_grant(owned=owned, already=already),
        at=uow.clock.now(),
    )
    if foreign := request.foreign(owned=owned):
        log.warning(
            "task references materials the applicant does not own",
            extra={"task_id": request.task_id, "count": foreign},
        )


async def on_task_assigned(event: CloudEvent, uow: MaterialUnitOfWork) -> None:
    """Grant the task's department each referenced material that belongs to the applicant."""
    await _grant(uow, grants_for_assignment(_payload(event, TaskAssigned)))


async def on_supplement_received(event: CloudEvent, uow: MaterialUnitOfWork) -> None:
    """补正: each resumed task's department may read the supplied materials that task needs — no more;
    a task whose grants already ended is not granted again."""
    supplement = _payload(event, ApplicationSupplementReceived)
    ended = await uow.grants.ended_tasks([task.task_id for task in supplement.resumed_tasks])
    for request in grants_for_supplement(supplement, ended_tasks=ended):
        await _grant(uow, request)


async def on_task_completed(event: CloudEvent, uow: MaterialUnitOfWork) -> None:
    """The task ended: its grants end; an approval that issues a licence issues it."""
    task = _payload(event, TaskCompleted)
    await uow.grants.end_for_task(task.task_id, at=uow.clock.now())
    await issue_licence(task, uow)


async def on_task_cancelled(event: CloudEvent, uow: MaterialUnitOfWork) -> None:
    """The task was cancelled: its grants end."""
    task = _payload(event, TaskCancelled)
    await uow.grants.end_for_task(task.task_id, at=uow.clock.now())
