"""Reading: an application with its tasks, live deadlines and timeline; lists by role; one task.

A task is read with its deadline as it stands today (an open 补正 pause keeps moving it; a provisional
deadline is recomputed with the current calendar), ``overdue`` live (not only the periodic check's flag)
and ``working_days_left`` while it is open. "Today" is the date in China, from the unit of work's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from onematter_kit.identity import Principal, Role

from onematter_acceptance.adapters.repository import ApplicationFilter, TaskFilter
from onematter_acceptance.domain.application import Application
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.clock import Deadline
from onematter_acceptance.domain.reviews import Review
from onematter_acceptance.domain.task import Task
from onematter_acceptance.domain.timeline import TimelineEntry
from onematter_acceptance.service_layer.access import need_to_know, officers_task, visible_application
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = [
    "ApplicationReading",
    "ListApplications",
    "ListTasks",
    "ReadApplication",
    "ReadTask",
    "TaskReading",
    "application_detail",
    "list_applications",
    "list_tasks",
    "read_task",
]


@dataclass(frozen=True)
class TaskReading:
    task: Task
    application: Application
    deadline: Deadline
    overdue: bool
    working_days_left: int | None


def reading(task: Task, application: Application, *, calendar: WorkCalendar, today: date) -> TaskReading:
    deadline = task.live_deadline(calendar, today)
    return TaskReading(
        task=task,
        application=application,
        deadline=deadline,
        overdue=task.is_late(today=today, due=deadline.due),
        working_days_left=task.days_left(calendar, today=today, due=deadline.due),
    )


@dataclass(frozen=True)
class ApplicationReading:
    """An application as ``principal`` may see it: an officer sees its own tasks' fields and materials."""

    application: Application
    tasks: list[TaskReading]
    need_to_know: bool
    matter_name_zh: str | None
    review: Review | None
    timeline: list[TimelineEntry]

    @property
    def form(self) -> dict[str, Any]:
        if not self.need_to_know:
            return self.application.form
        return {k: v for t in self.tasks for k, v in t.task.form.items()}

    @property
    def materials(self) -> dict[str, Any]:
        if not self.need_to_know:
            return dict(self.application.materials)
        return {m.material_type: m for t in self.tasks for m in t.task.materials}


@dataclass(frozen=True)
class ReadApplication:
    number: str
    principal: Principal


async def application_detail(
    query: ReadApplication, uow: AcceptanceUnitOfWork, *, calendar: WorkCalendar
) -> ApplicationReading:
    """404 unless ``query.principal`` may see it."""
    principal = query.principal
    async with uow:
        application = await visible_application(uow, query.number, principal)
        tasks = application.tasks
        if need_to_know(principal):
            tasks = [t for t in tasks if t.department == principal.department]
        matter = await uow.matters.version(application.matter_code, application.matter_version)
        today = uow.clock.today()
        return ApplicationReading(
            application=application,
            tasks=[reading(t, application, calendar=calendar, today=today) for t in tasks],
            need_to_know=need_to_know(principal),
            matter_name_zh=matter.name_zh if matter else None,
            review=await uow.reviews.get(application.id),
            timeline=await uow.timeline.of(application.id),
        )


@dataclass(frozen=True, kw_only=True)
class ListApplications:
    principal: Principal
    limit: int
    offset: int
    status: str | None = None
    matter_code: str | None = None


async def list_applications(
    query: ListApplications, uow: AcceptanceUnitOfWork
) -> tuple[list[Application], int]:
    """Applicant: own; clerk: submitted by them; officer: with a task of their department; supervisor: all."""
    principal, also = query.principal, {"status": query.status, "matter_code": query.matter_code}
    if principal.has(Role.supervisor) or principal.has(Role.admin):
        where = ApplicationFilter(**also)
    elif principal.has(Role.officer):
        where = ApplicationFilter(department=principal.department or "", **also)
    elif principal.has(Role.clerk):
        where = ApplicationFilter(submitted_by=principal.subject, **also)
    else:
        where = ApplicationFilter(applicant_id=principal.subject, **also)
    async with uow:
        return await uow.applications.page(where, limit=query.limit, offset=query.offset)


@dataclass(frozen=True, kw_only=True)
class ListTasks:
    officer: Principal
    limit: int
    offset: int
    status: str | None = None
    #: True: running tasks past their deadline today (a task waiting for 补正 has its clock stopped, so it
    #: is not overdue); False: every other task.
    overdue: bool | None = None
    acceptance_number: str | None = None


async def list_tasks(
    query: ListTasks, uow: AcceptanceUnitOfWork, *, calendar: WorkCalendar
) -> tuple[list[TaskReading], int]:
    """The officer's department's tasks only, most urgent first."""
    async with uow:
        today = uow.clock.today()
        where = TaskFilter(
            department=query.officer.department or "",
            status=query.status,
            acceptance_number=query.acceptance_number,
            late=query.overdue,
            today=today,
        )
        found, total = await uow.applications.task_page(where, limit=query.limit, offset=query.offset)
    return [reading(t, a, calendar=calendar, today=today) for t, a in found], total


@dataclass(frozen=True)
class ReadTask:
    task_id: str
    officer: Principal


async def read_task(query: ReadTask, uow: AcceptanceUnitOfWork, *, calendar: WorkCalendar) -> TaskReading:
    """404 unless the task is of the officer's department."""
    async with uow:
        task, application = await officers_task(uow, query.task_id, query.officer)
        return reading(task, application, calendar=calendar, today=uow.clock.today())
