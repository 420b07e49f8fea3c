"""Reading: an application with its tasks, explained deadlines and timeline; lists by role."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from onematter_kit.errors import NotFoundError
from onematter_kit.identity import Principal, Role
from sqlalchemy import func, select

from onematter_acceptance.adapters.tables import Application, Review, Task, TimelineEntry
from onematter_acceptance.domain.applications import TaskStatus
from onematter_acceptance.domain.calendar import pauses_from_json
from onematter_acceptance.service_layer.access import visible_application
from onematter_acceptance.service_layer.collaborators import Collaborators

__all__ = ["application_detail", "list_applications", "list_tasks", "task_view"]


def task_view(
    task: Task, number: str, deps: Collaborators, *, application: Application | None = None
) -> dict[str, Any]:
    """A task with its explained deadline; ``overdue`` is live (not only the periodic check's flag).

    ``working_days_left`` (open tasks only) is negative once the deadline has passed. With
    ``application``, the view also says whose application it is (the workbench's queue and detail).
    """
    deadline = deps.calendar.deadline(
        start=task.started_on,
        working_days=task.committed_days,
        pauses=pauses_from_json(task.pauses),
        today=deps.today(),
    )
    return {
        **(_application_context(application) if application is not None else {}),
        "id": task.id,
        "acceptance_number": number,
        "application_id": task.application_id,
        "item_code": task.item_code,
        "item_name_zh": task.item_name_zh,
        "department": task.department,
        "status": task.status,
        "deadline": deadline.due.isoformat(),
        "deadline_provisional": deadline.provisional,
        "deadline_explanation": deadline.explain(),
        "form": task.form,
        "materials": task.materials,
        "requested_materials": task.requested_materials,
        "verify_after_commitment": task.verify_after_commitment,
        "issues_licence": task.issues_licence,
        "reason": task.reason,
        "licence_type": task.licence_type,
        "licence_number": task.licence_number,
        "overdue": task.overdue or (task.status == TaskStatus.in_progress and deadline.due < deps.today()),
        "working_days_left": _working_days_left(task, deadline.due, deps),
        "on_time": task.on_time,
        "completed_at": task.completed_at.isoformat() if task.completed_at else None,
    }


def _working_days_left(task: Task, due: date, deps: Collaborators) -> int | None:
    if task.status not in TaskStatus.OPEN:
        return None
    today = deps.today()
    if due >= today:
        return deps.calendar.working_days_between(today, due)
    return -deps.calendar.working_days_between(due, today)


def _application_context(app: Application) -> dict[str, Any]:
    return {
        "matter_code": app.matter_code,
        "matter_version": app.matter_version,
        "applicant_id": app.applicant_id,
        "channel": app.channel,
        "accepted_at": app.accepted_at.isoformat(),
    }


def application_summary(app: Application) -> dict[str, Any]:
    return {
        "id": app.id,
        "acceptance_number": app.acceptance_number,
        "matter_code": app.matter_code,
        "matter_version": app.matter_version,
        "applicant_id": app.applicant_id,
        "submitted_by": app.submitted_by,
        "channel": app.channel,
        "status": app.status,
        "accepted_at": app.accepted_at.isoformat(),
        "deadline": app.deadline.isoformat(),
        "deadline_provisional": app.deadline_provisional,
        "completed_at": app.completed_at.isoformat() if app.completed_at else None,
    }


async def application_detail(number: str, principal: Principal, deps: Collaborators) -> dict[str, Any]:
    async with deps.uow() as uow:
        app = await visible_application(uow, number, principal)
        tasks = await uow.tasks_of(app.id)
        need_to_know = principal.has(Role.officer) and not principal.has(Role.supervisor)
        if need_to_know:  # an officer sees its own tasks' fields and materials, not the whole file
            tasks = [t for t in tasks if t.department == principal.department]
        timeline = (
            await uow.session.execute(
                select(TimelineEntry).where(TimelineEntry.application_id == app.id).order_by(TimelineEntry.id)
            )
        ).scalars()
        matter = await uow.matter_version(app.matter_code, app.matter_version)
        review = await uow.session.get(Review, app.id)
        # built inside the block: leaving it rolls back and expires the rows
        return {
            **application_summary(app),
            "form": {k: v for t in tasks for k, v in t.form.items()} if need_to_know else app.form,
            "materials": {m["material_type"]: m for t in tasks for m in t.materials}
            if need_to_know
            else app.materials,
            "deferred_materials": app.deferred_materials,
            "supplement_due": app.supplement_due.isoformat() if app.supplement_due else None,
            "open_supplement": app.open_supplement,
            "rejections": app.rejections,
            "matter": {
                "code": app.matter_code,
                "version": app.matter_version,
                "name_zh": matter.payload.get("name_zh") if matter else None,
            },
            "tasks": [task_view(t, app.acceptance_number, deps) for t in tasks],
            "review": None
            if review is None
            else {
                "level": review.level,
                "label": review.label,
                "comment": review.comment,
                "bad": review.bad,
                "submitted_at": review.submitted_at.isoformat(),
            },
            "timeline": [
                {"at": e.at.isoformat(), "actor": e.actor, "kind": e.kind, "detail": e.detail}
                for e in timeline
            ],
        }


async def _page_of(
    session: Any,
    query: Any,
    *,
    order_by: tuple[Any, ...],
    limit: int,
    offset: int,
    view: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    """One page of ``query`` in every list's shape: ``{items, total, limit, offset}``."""
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = await session.execute(query.order_by(*order_by).limit(limit).offset(offset))
    return {"items": [view(row) for row in rows], "total": total, "limit": limit, "offset": offset}


async def list_applications(
    principal: Principal,
    deps: Collaborators,
    *,
    limit: int,
    offset: int,
    status: str | None = None,
    matter_code: str | None = None,
) -> dict[str, Any]:
    """Applicant: own; clerk: submitted by them; officer: with a task of their department; supervisor: all."""
    query = select(Application)
    if principal.has(Role.supervisor) or principal.has(Role.admin):
        pass
    elif principal.has(Role.officer):
        query = query.where(
            Application.id.in_(select(Task.application_id).where(Task.department == principal.department))
        )
    elif principal.has(Role.clerk):
        query = query.where(Application.submitted_by == principal.subject)
    else:
        query = query.where(Application.applicant_id == principal.subject)
    if status:
        query = query.where(Application.status == status)
    if matter_code:
        query = query.where(Application.matter_code == matter_code)
    async with deps.uow() as uow:
        return await _page_of(
            uow.session,
            query,
            order_by=(Application.accepted_at.desc(),),
            limit=limit,
            offset=offset,
            view=lambda row: application_summary(row[0]),
        )


async def list_tasks(
    officer: Principal,
    deps: Collaborators,
    *,
    limit: int,
    offset: int,
    status: str | None = None,
    overdue: bool | None = None,
    acceptance_number: str | None = None,
) -> dict[str, Any]:
    """The officer's department's tasks only, most urgent first.

    ``overdue=true``: running tasks past their deadline today (a task waiting for a 补正 supplement has
    its clock stopped, so it is not overdue); ``overdue=false``: every other task.
    """
    query = (
        select(Task, Application)
        .join(Application, Application.id == Task.application_id)
        .where(Task.department == (officer.department or ""))
    )
    if status:
        query = query.where(Task.status == status)
    if acceptance_number:
        query = query.where(Application.acceptance_number == acceptance_number)
    if overdue is not None:
        late = (Task.status == TaskStatus.in_progress) & (Task.deadline < deps.today())
        query = query.where(late if overdue else ~late)
    async with deps.uow() as uow:
        return await _page_of(
            uow.session,
            query,
            order_by=(Task.deadline, Task.id),
            limit=limit,
            offset=offset,
            view=lambda row: task_view(row[0], row[1].acceptance_number, deps, application=row[1]),
        )


async def task_detail(task_id: str, officer: Principal, deps: Collaborators) -> dict[str, Any]:
    async with deps.uow() as uow:
        task = await uow.session.get(Task, task_id)
        if task is None or task.department != officer.department:
            raise NotFoundError(f"No task {task_id}.")
        app = await uow.session.get(Application, task.application_id)
        return task_view(task, app.acceptance_number, deps, application=app)  # type: ignore[union-attr]
