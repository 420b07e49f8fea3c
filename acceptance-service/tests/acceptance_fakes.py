"""Fakes of acceptance's own interfaces: a unit of work with in-memory repositories, for handler tests.

They subclass the real interfaces (``AcceptanceUnitOfWork`` and the repository ABCs). Like the SQL unit of
work, what a handler changes becomes visible only when it commits: repositories hand out copies and keep
them, and ``commit`` stores what was handed out or added. Tests assert on the stored state, the committed
events (``uow.emitted``) and ``uow.committed``.
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

from delegation_fakes import FakeDelegationRepository
from notice_fakes import FakeNoticeRepository
from onematter_acceptance.adapters.repository import (
    ApplicationFilter,
    ApplicationRepository,
    EarlierApplication,
    Grouping,
    IdempotencyRecord,
    IdempotencyRepository,
    MatterRepository,
    RectificationRepository,
    ReviewRepository,
    StatisticsRepository,
    TaskFilter,
    TimelineRepository,
)
from onematter_acceptance.domain.application import Application
from onematter_acceptance.domain.reviews import Rectification, Review
from onematter_acceptance.domain.statistics import Figures, Period
from onematter_acceptance.domain.task import Task, TaskStatus
from onematter_acceptance.domain.timeline import TimelineEntry
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork
from onematter_clock import Clock
from onematter_events.matters import MatterPublished
from onematter_testkit import FakeUnitOfWork


class FakeApplicationRepository(ApplicationRepository):
    def __init__(self, timeline: FakeTimelineRepository) -> None:
        self.stored: dict[str, Application] = {}
        self.counters: dict[date, int] = {}
        self._timeline = timeline
        self._pending: dict[str, Application] = {}

    def add(self, application: Application) -> None:
        self._pending[application.id] = application

    async def get(self, number: str, *, lock: bool = False) -> Application | None:
        found = next((a for a in self.stored.values() if a.acceptance_number == number), None)
        return None if found is None else self._hand_out(found)

    async def get_by_id(self, application_id: str, *, lock: bool = False) -> Application | None:
        found = self.stored.get(application_id)
        return None if found is None else self._hand_out(found)

    async def for_task(self, task_id: str, *, lock: bool = False) -> Application | None:
        found = next((a for a in self.stored.values() if a.task(task_id)), None)
        return None if found is None else self._hand_out(found)

    def _hand_out(self, application: Application) -> Application:
        copied = self._pending.setdefault(application.id, copy.deepcopy(application))
        return copied

    async def next_number(self, day: date) -> int:
        self.counters[day] = self.counters.get(day, 0) + 1
        return self.counters[day]

    async def material_ids_of(self, applicant_id: str) -> set[str]:
        return {
            r.material_id
            for e in await self.earlier_of(applicant_id)
            for r in e.materials.values()
            if r.material_id
        }

    async def earlier_of(self, applicant_id: str) -> list[EarlierApplication]:
        mine = sorted(
            (a for a in self.stored.values() if a.applicant_id == applicant_id), key=lambda a: a.accepted_at
        )
        return [EarlierApplication(form=a.form, materials=a.materials) for a in mine]

    async def page(
        self, where: ApplicationFilter, *, limit: int, offset: int
    ) -> tuple[list[Application], int]:
        found = [a for a in self.stored.values() if _matches(a, where)]
        found.sort(key=lambda a: a.accepted_at, reverse=True)
        return found[offset : offset + limit], len(found)

    async def task_page(
        self, where: TaskFilter, *, limit: int, offset: int
    ) -> tuple[list[tuple[Task, Application]], int]:
        found = [(t, a) for a in self.stored.values() for t in a.tasks if _task_matches(t, a, where)]
        found.sort(key=lambda pair: (pair[0].deadline, pair[0].id))
        return found[offset : offset + limit], len(found)

    async def claim_due(self, *, horizon: date, limit: int) -> list[tuple[Application, list[str]]]:
        claimed = []
        for application in list(self.stored.values()):
            ids = [
                t.id
                for t in application.tasks
                if t.status == TaskStatus.in_progress
                and (t.deadline_provisional or (t.deadline <= horizon and not t.overdue))
            ]
            if ids:
                claimed.append((self._hand_out(application), ids))
        return claimed

    async def claim_due_dates(
        self, *, today: date, horizon: date, limit: int
    ) -> list[tuple[Application, list[str]]]:
        claimed = []
        for application in list(self.stored.values()):
            ids = [t.id for t in application.tasks if t.wants_due_check(today=today, horizon=horizon)]
            if ids:
                claimed.append((self._hand_out(application), ids))
        return claimed[:limit]

    async def claim_open(self, *, due_from: date, started_by: date) -> list[Application]:
        return [
            self._hand_out(a)
            for _, a in sorted(self.stored.items())
            if any(t.is_open and t.started_on <= started_by and t.deadline >= due_from for t in a.tasks)
        ]

    def commit(self) -> None:
        for application in self._pending.values():
            for entry in application.new_entries:
                self._timeline.stored.append(entry)
            application.new_entries.clear()
            self.stored[application.id] = copy.deepcopy(application)
        self._pending.clear()

    def rollback(self) -> None:
        self._pending.clear()


def _matches(a: Application, where: ApplicationFilter) -> bool:
    checks = [
        where.applicant_id is None or a.applicant_id == where.applicant_id,
        where.submitted_by is None or a.submitted_by == where.submitted_by,
        where.department is None or a.has_task_of(where.department),
        not where.status or a.status == where.status,
        not where.matter_code or a.matter_code == where.matter_code,
    ]
    return all(checks)


def _task_matches(t: Task, a: Application, where: TaskFilter) -> bool:
    late = t.status == TaskStatus.in_progress and where.today is not None and t.deadline < where.today
    checks = [
        t.department == where.department,
        not where.status or t.status == where.status,
        not where.acceptance_number or a.acceptance_number == where.acceptance_number,
        where.late is None or late == where.late,
    ]
    return all(checks)


class FakeMatterRepository(MatterRepository):
    def __init__(self) -> None:
        self.versions: dict[tuple[str, int], MatterPublished] = {}
        self.retired: set[str] = set()

    async def current(self, code: str) -> MatterPublished | None:
        mine = [v for (c, _), v in self.versions.items() if c == code]
        return None if not mine or code in self.retired else max(mine, key=lambda m: m.version)

    async def version(self, code: str, version: int) -> MatterPublished | None:
        return self.versions.get((code, version))

    async def save(self, matter: MatterPublished, *, received_at: datetime) -> None:
        self.versions[(matter.matter_code, matter.version)] = matter
        self.retired.discard(matter.matter_code)

    async def retire(self, code: str) -> None:
        self.retired.add(code)

    async def latest(self) -> list[MatterPublished]:
        codes = {c for c, _ in self.versions} - self.retired
        return [m for c in sorted(codes) if (m := await self.current(c)) is not None]


class FakeReviewRepository(ReviewRepository):
    def __init__(self) -> None:
        self.stored: dict[str, Review] = {}

    async def get(self, application_id: str) -> Review | None:
        return self.stored.get(application_id)

    def add(self, review: Review) -> None:
        self.stored[review.application_id] = review


class FakeRectificationRepository(RectificationRepository):
    def __init__(self) -> None:
        self.stored: dict[str, Rectification] = {}
        self._pending: dict[str, Rectification] = {}

    def add(self, rectification: Rectification) -> None:
        self._pending[rectification.id] = rectification

    async def get(self, rectification_id: str, *, lock: bool = False) -> Rectification | None:
        found = self.stored.get(rectification_id)
        return None if found is None else self._pending.setdefault(found.id, copy.deepcopy(found))

    async def page(
        self, *, department: str | None, status: str | None, limit: int, offset: int
    ) -> tuple[list[Rectification], int]:
        found = [
            r
            for r in sorted(self.stored.values(), key=lambda r: r.due)
            if (not department or r.department == department) and (not status or r.status == status)
        ]
        return found[offset : offset + limit], len(found)

    def commit(self) -> None:
        self.stored.update({k: copy.deepcopy(v) for k, v in self._pending.items()})
        self._pending.clear()

    def rollback(self) -> None:
        self._pending.clear()


class FakeTimelineRepository(TimelineRepository):
    def __init__(self) -> None:
        self.stored: list[TimelineEntry] = []

    def add(self, entry: TimelineEntry) -> None:
        self.stored.append(entry)

    async def of(self, application_id: str) -> list[TimelineEntry]:
        return [e for e in self.stored if e.application_id == application_id]


class FakeIdempotencyRepository(IdempotencyRepository):
    def __init__(self, applications: FakeApplicationRepository) -> None:
        self.keys: dict[tuple[str, str], tuple[str, str]] = {}
        #: Keys a concurrent twin took after this unit of work looked (``claim`` then fails).
        self.taken_meanwhile: dict[tuple[str, str], tuple[str, str]] = {}
        self._applications = applications
        self._pending: dict[tuple[str, str], tuple[str, str]] = {}

    async def find(self, caller: str, key: str) -> IdempotencyRecord | None:
        found = self.keys.get((caller, key))
        if found is None:
            return None
        body_hash, application_id = found
        return IdempotencyRecord(body_hash, self._applications.stored[application_id].acceptance_number)

    async def claim(
        self, caller: str, key: str, *, body_hash: str, application_id: str, at: datetime
    ) -> bool:
        if (caller, key) in self.taken_meanwhile:
            self.keys[(caller, key)] = self.taken_meanwhile.pop((caller, key))
        if (caller, key) in self.keys or (caller, key) in self._pending:
            return False
        self._pending[(caller, key)] = (body_hash, application_id)
        return True

    def commit(self) -> None:
        self.keys.update(self._pending)
        self._pending.clear()

    def rollback(self) -> None:
        self._pending.clear()


class FakeStatisticsRepository(StatisticsRepository):
    """Answers with the figures a test gives it, and records the periods asked for."""

    def __init__(self) -> None:
        self.figures_by: dict[Grouping, dict[str, Figures]] = {"matter": {}, "department": {}}
        self.bad_by: dict[Grouping, dict[str, int]] = {"matter": {}, "department": {}}
        self.asked: list[tuple[Grouping, Period]] = []

    async def figures(self, by: Grouping, period: Period) -> dict[str, Figures]:
        self.asked.append((by, period))
        return self.figures_by[by]

    async def open_bad_reviews(self, by: Grouping, period: Period) -> dict[str, int]:
        return self.bad_by[by]


class FakeAcceptanceUnitOfWork(FakeUnitOfWork, AcceptanceUnitOfWork):
    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock
        self.timeline = FakeTimelineRepository()
        self.applications = self.fake_applications = FakeApplicationRepository(self.timeline)
        self.rectifications = self.fake_rectifications = FakeRectificationRepository()
        self.matters = self.fake_matters = FakeMatterRepository()
        self.reviews = FakeReviewRepository()
        self.idempotency = self.fake_idempotency = FakeIdempotencyRepository(self.fake_applications)
        self.statistics = self.fake_statistics = FakeStatisticsRepository()
        self.delegations = self.fake_delegations = FakeDelegationRepository()
        self.notices = self.fake_notices = FakeNoticeRepository()
        self.commits = 0

    async def commit(self) -> None:
        for repository in (self.fake_applications, self.fake_rectifications, self.fake_idempotency):
            repository.commit()
        self.fake_delegations.commit()
        self.fake_notices.commit()
        self.commits += 1
        await super().commit()

    async def rollback(self) -> None:
        for repository in (self.fake_applications, self.fake_rectifications, self.fake_idempotency):
            repository.rollback()
        self.fake_delegations.rollback()
        self.fake_notices.rollback()
        await super().rollback()

    def stored(self, number: str) -> Application:
        """The committed application with acceptance number ``number``."""
        return next(a for a in self.fake_applications.stored.values() if a.acceptance_number == number)

    def events(self, event_type: str) -> list[Any]:
        return [e for e in self.emitted if e.type == event_type]
