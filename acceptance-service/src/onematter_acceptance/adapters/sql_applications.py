"""Applications and their tasks on SQL (PostgreSQL in production, SQLite for ``make run``).

Locking order, everywhere: the application row, then its task rows — so two departments finishing at the
same moment serialize on the application and complete it exactly once, without deadlocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from onematter_events.applications import MaterialReference
from onematter_kit.paging import fetch_page
from sqlalchemy import Select, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from onematter_acceptance.adapters.mapping import application_row, to_application, write_back
from onematter_acceptance.adapters.repository import (
    ApplicationFilter,
    ApplicationRepository,
    EarlierApplication,
    TaskFilter,
)
from onematter_acceptance.adapters.tables import ApplicationRow, NumberCounter, TaskRow, TimelineRow
from onematter_acceptance.domain.application import Application
from onematter_acceptance.domain.task import Task, TaskStatus

__all__ = ["SqlApplicationRepository"]


class SqlApplicationRepository(ApplicationRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        #: Aggregates handed out or added in this unit of work, with their rows (None: not stored yet).
        self._seen: dict[str, tuple[Application, ApplicationRow | None, dict[str, TaskRow]]] = {}

    def add(self, application: Application) -> None:
        self._seen[application.id] = (application, None, {})

    async def get(self, number: str, *, lock: bool = False) -> Application | None:
        return await self._one(
            select(ApplicationRow).where(col(ApplicationRow.acceptance_number) == number), lock
        )

    async def get_by_id(self, application_id: str, *, lock: bool = False) -> Application | None:
        return await self._one(select(ApplicationRow).where(col(ApplicationRow.id) == application_id), lock)

    async def for_task(self, task_id: str, *, lock: bool = False) -> Application | None:
        application_id = await self.session.scalar(
            select(col(TaskRow.application_id)).where(col(TaskRow.id) == task_id)
        )
        return None if application_id is None else await self.get_by_id(application_id, lock=lock)

    async def _one(self, statement: Select[Any], lock: bool) -> Application | None:
        if lock:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        row = (await self.session.scalars(statement)).first()
        if row is None:
            return None
        tasks = await self._task_rows([row.id], lock=lock)
        return self._track(row, tasks.get(row.id, []))

    async def _task_rows(
        self, application_ids: Sequence[str], *, lock: bool = False
    ) -> dict[str, list[TaskRow]]:
        statement = select(TaskRow).where(col(TaskRow.application_id).in_(list(application_ids)))
        if lock:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        found: dict[str, list[TaskRow]] = {}
        for task in await self.session.scalars(statement.order_by(TaskRow.item_code)):
            found.setdefault(task.application_id, []).append(task)
        return found

    def _track(self, row: ApplicationRow, task_rows: list[TaskRow]) -> Application:
        """One aggregate per application in a unit of work (like the session's identity map)."""
        if row.id in self._seen:
            return self._seen[row.id][0]
        application = to_application(row, task_rows)
        self._seen[application.id] = (application, row, {t.id: t for t in task_rows})
        return application

    async def _aggregates(self, rows: Sequence[ApplicationRow]) -> list[Application]:
        """Read-only aggregates (not written back): one query for all their tasks."""
        tasks = await self._task_rows([r.id for r in rows])
        return [to_application(r, tasks.get(r.id, [])) for r in rows]

    async def next_number(self, day: date) -> int:
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(NumberCounter).values(day=f"{day:%Y%m%d}", last=1)
        statement = statement.on_conflict_do_update(
            index_elements=["day"], set_={"last": NumberCounter.last + 1}
        )
        return int((await self.session.execute(statement.returning(NumberCounter.last))).scalar_one())

    async def material_ids_of(self, applicant_id: str) -> set[str]:
        return {
            r.material_id
            for e in await self.earlier_of(applicant_id)
            for r in e.materials.values()
            if r.material_id
        }

    async def earlier_of(self, applicant_id: str) -> list[EarlierApplication]:
        statement = (
            select(col(ApplicationRow.form), col(ApplicationRow.materials))
            .where(col(ApplicationRow.applicant_id) == applicant_id)
            .order_by(col(ApplicationRow.accepted_at))
        )
        rows = (await self.session.execute(statement)).all()
        return [_earlier(form, materials) for form, materials in rows]

    async def page(
        self, where: ApplicationFilter, *, limit: int, offset: int
    ) -> tuple[list[Application], int]:
        statement = select(ApplicationRow).where(*_application_criteria(where))
        statement = statement.order_by(col(ApplicationRow.accepted_at).desc())
        rows, total = await fetch_page(self.session, statement, limit=limit, offset=offset)
        return await self._aggregates(rows), total

    async def task_page(
        self, where: TaskFilter, *, limit: int, offset: int
    ) -> tuple[list[tuple[Task, Application]], int]:
        statement = (
            select(col(TaskRow.id), col(TaskRow.application_id))
            .join(ApplicationRow, col(ApplicationRow.id) == col(TaskRow.application_id))
            .where(*_task_criteria(where))
            .order_by(col(TaskRow.deadline), col(TaskRow.id))
        )
        rows, total = await fetch_page(self.session, statement, limit=limit, offset=offset)
        return await self._with_applications([(task_id, app_id) for task_id, app_id in rows]), total

    async def _with_applications(self, pairs: list[tuple[str, str]]) -> list[tuple[Task, Application]]:
        ids = list(dict.fromkeys(app_id for _, app_id in pairs))
        app_rows = await self.session.scalars(select(ApplicationRow).where(col(ApplicationRow.id).in_(ids)))
        applications = {a.id: a for a in await self._aggregates(list(app_rows))}
        found = [(applications[a].task(t), applications[a]) for t, a in pairs if a in applications]
        return [(task, application) for task, application in found if task is not None]

    async def claim_due(self, *, horizon: date, limit: int) -> list[tuple[Application, list[str]]]:
        statement = (
            select(col(TaskRow.id), col(TaskRow.application_id))
            .where(
                col(TaskRow.status) == TaskStatus.in_progress,
                or_(
                    col(TaskRow.deadline_provisional).is_(True),
                    (col(TaskRow.deadline) <= horizon) & col(TaskRow.overdue).is_(False),
                ),
            )
            .order_by(col(TaskRow.deadline))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return await self._claimed((await self.session.execute(statement)).all())

    async def claim_due_dates(
        self, *, today: date, horizon: date, limit: int
    ) -> list[tuple[Application, list[str]]]:
        # mirrors Task.wants_due_check: within the horizon and not reminded yet, or already past
        supplement = (col(TaskRow.status) == TaskStatus.waiting_supplement) & _wants(
            col(TaskRow.supplement_due_on), col(TaskRow.supplement_reminded), today, horizon
        )
        deferral = col(TaskRow.status).in_(TaskStatus.OPEN) & _wants(
            col(TaskRow.deferral_due), col(TaskRow.deferral_reminded), today, horizon
        )
        statement = (
            select(col(TaskRow.id), col(TaskRow.application_id))
            .where(or_(supplement, deferral))
            .order_by(col(TaskRow.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return await self._claimed((await self.session.execute(statement)).all())

    async def _claimed(self, rows: Sequence[Any]) -> list[tuple[Application, list[str]]]:
        claimed: dict[str, list[str]] = {}
        for task_id, application_id in rows:
            claimed.setdefault(application_id, []).append(task_id)
        found = [await self.get_by_id(application_id) for application_id in claimed]
        return [(a, claimed[a.id]) for a in found if a is not None]

    async def claim_open(self, *, due_from: date, started_by: date) -> list[Application]:
        statement = (
            select(col(TaskRow.application_id))
            .where(
                col(TaskRow.status).in_(TaskStatus.OPEN),
                col(TaskRow.started_on) <= started_by,
                col(TaskRow.deadline) >= due_from,
            )
            .distinct()
            .order_by(col(TaskRow.application_id))
        )
        ids = list(await self.session.scalars(statement))
        found = [await self.get_by_id(application_id, lock=True) for application_id in ids]
        return [a for a in found if a is not None]

    async def sync(self) -> None:
        """Write this unit of work's aggregates back to their rows; append their new timeline entries."""
        for application_id, (application, row, task_rows) in list(self._seen.items()):
            if row is None:
                row, new_tasks = application_row(application)
                self.session.add(row)
                self.session.add_all(new_tasks)
                task_rows = {t.id: t for t in new_tasks}
                self._seen[application_id] = (application, row, task_rows)
            else:
                write_back(application, row)
                for task in application.tasks:
                    write_back(task, task_rows[task.id])
            self.session.add_all(TimelineRow(**vars(e)) for e in application.new_entries)
            application.new_entries.clear()


def _wants(due: Any, reminded: Any, today: date, horizon: date) -> Any:
    return due.is_not(None) & ((due < today) | ((due <= horizon) & reminded.is_(False)))


def _earlier(form: dict[str, Any], materials: dict[str, Any]) -> EarlierApplication:
    refs = {k: MaterialReference.model_validate(r) for k, r in materials.items() if isinstance(r, dict)}
    return EarlierApplication(form=form, materials=refs)


def _application_criteria(where: ApplicationFilter) -> list[Any]:
    criteria: list[Any] = []
    if where.applicant_id is not None:
        criteria.append(col(ApplicationRow.applicant_id) == where.applicant_id)
    if where.submitted_by is not None:
        criteria.append(col(ApplicationRow.submitted_by) == where.submitted_by)
    if where.department is not None:
        of_department = select(col(TaskRow.application_id)).where(col(TaskRow.department) == where.department)
        criteria.append(col(ApplicationRow.id).in_(of_department))
    if where.status:
        criteria.append(col(ApplicationRow.status) == where.status)
    if where.matter_code:
        criteria.append(col(ApplicationRow.matter_code) == where.matter_code)
    return criteria


def _task_criteria(where: TaskFilter) -> list[Any]:
    criteria: list[Any] = [col(TaskRow.department) == where.department]
    if where.status:
        criteria.append(col(TaskRow.status) == where.status)
    if where.acceptance_number:
        criteria.append(col(ApplicationRow.acceptance_number) == where.acceptance_number)
    if where.late is not None and where.today is not None:
        late = (col(TaskRow.status) == TaskStatus.in_progress) & (col(TaskRow.deadline) < where.today)
        criteria.append(late if where.late else ~late)
    return criteria
