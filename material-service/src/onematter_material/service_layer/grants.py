"""Need-to-know grants driven by task events: a department may read the materials its task references,
from ``task.assigned`` (materials handed in later by a supplement — 补正/容缺 — from
``application.supplement-received``) until ``task.completed``/``task.cancelled``. Handlers run inside the
idempotent consumer's transaction (``handler(event, uow)``) and do not commit.
"""

from __future__ import annotations

import logging

from onematter_events import CloudEvent, parse_payload
from onematter_events.applications import (
    ApplicationSupplementReceived,
    TaskAssigned,
    TaskCancelled,
    TaskCompleted,
)
from onematter_kit.unit_of_work import SqlUnitOfWork
from sqlalchemy import select

from onematter_material.adapters import repository as repo
from onematter_material.adapters.tables import AccessGrant, Material
from onematter_material.service_layer.licences import issue_licence

__all__ = ["on_supplement_received", "on_task_assigned", "on_task_cancelled", "on_task_completed"]

log = logging.getLogger("onematter.material.grants")


async def on_task_assigned(event: CloudEvent, uow: SqlUnitOfWork) -> None:
    """Grant the task's department each referenced material that belongs to the applicant."""
    task = parse_payload(event)
    assert isinstance(task, TaskAssigned)
    wanted = {ref.material_id for ref in task.materials if ref.material_id}
    await _grant(
        uow,
        task_id=task.task_id,
        department=task.department,
        application_id=task.application_id,
        applicant_id=task.applicant_id,
        wanted=wanted,
    )


async def on_supplement_received(event: CloudEvent, uow: SqlUnitOfWork) -> None:
    """补正: each resumed task's department may read the supplied materials that task needs — no more.

    Events from producers without ``resumed_tasks`` grant nothing (their tasks keep their earlier grants).
    This event and the task's end travel on different topics; a task whose grants already ended is not
    granted again."""
    supplement = parse_payload(event)
    assert isinstance(supplement, ApplicationSupplementReceived)
    supplied = set(supplement.materials.values())
    for task in supplement.resumed_tasks:
        if await repo.task_grants_ended(uow.session, task.task_id):
            continue
        await _grant(
            uow,
            task_id=task.task_id,
            department=task.department,
            application_id=supplement.application_id,
            applicant_id=supplement.applicant_id,
            wanted=set(task.material_ids) & supplied,
        )


async def _grant(
    uow: SqlUnitOfWork,
    *,
    task_id: str,
    department: str,
    application_id: str,
    applicant_id: str,
    wanted: set[str],
) -> None:
    """Grant ``department`` (for ``task_id``) each of ``wanted`` that belongs to the applicant and is not yet
    granted to the task. A reference to someone else's material is ignored (and logged): a task can open
    only its own applicant's locker, whatever the event says."""
    if not wanted:
        return
    owned = set(
        (
            await uow.session.execute(
                select(Material.id).where(Material.id.in_(wanted), Material.owner_id == applicant_id)
            )
        ).scalars()
    )  # type: ignore[attr-defined]
    already = set(
        (
            await uow.session.execute(select(AccessGrant.material_id).where(AccessGrant.task_id == task_id))
        ).scalars()
    )
    for material_id in sorted(owned - already):
        uow.session.add(
            AccessGrant(
                department=department, material_id=material_id, task_id=task_id, application_id=application_id
            )
        )
    if wanted - owned:
        log.warning(
            "task references materials the applicant does not own",
            extra={"task_id": task_id, "count": len(wanted - owned)},
        )


async def on_task_completed(event: CloudEvent, uow: SqlUnitOfWork) -> None:
    """The task ended: its grants end; an approval that issues a licence issues it."""
    task = parse_payload(event)
    assert isinstance(task, TaskCompleted)
    await repo.end_grants(uow.session, task.task_id)
    await issue_licence(uow, task)


async def on_task_cancelled(event: CloudEvent, uow: SqlUnitOfWork) -> None:
    task = parse_payload(event)
    assert isinstance(task, TaskCancelled)
    await repo.end_grants(uow.session, task.task_id)
