"""The repositories' interfaces: every query of the acceptance service is a method of one of these.

The SQL implementations (``adapters.sql_*``) hang off the unit of work, as do the fakes of the unit tests.
Repositories never commit: the handler commits the unit of work. Aggregates an implementation hands out
(applications, rectifications) are written back when the unit of work commits.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from onematter_events.applications import MaterialReference
from onematter_events.matters import MatterPublished

from onematter_acceptance.domain.application import Application
from onematter_acceptance.domain.reviews import Rectification, Review
from onematter_acceptance.domain.statistics import Figures, Period
from onematter_acceptance.domain.task import Task
from onematter_acceptance.domain.timeline import TimelineEntry

__all__ = [
    "ApplicationFilter",
    "ApplicationRepository",
    "EarlierApplication",
    "Grouping",
    "IdempotencyRecord",
    "IdempotencyRepository",
    "MatterRepository",
    "RectificationRepository",
    "ReviewRepository",
    "StatisticsRepository",
    "TaskFilter",
    "TimelineRepository",
]

#: What a table of statistics is grouped by: key matters (unit: application) or departments (unit: task).
Grouping = Literal["matter", "department"]


@dataclass(frozen=True, kw_only=True)
class ApplicationFilter:
    """Applications matching every given criterion (``None``: any)."""

    applicant_id: str | None = None
    submitted_by: str | None = None
    #: Applications with a task of this department.
    department: str | None = None
    status: str | None = None
    matter_code: str | None = None


@dataclass(frozen=True, kw_only=True)
class TaskFilter:
    """A department's tasks; ``late`` True/False: running past their deadline on ``today`` or not."""

    department: str
    status: str | None = None
    acceptance_number: str | None = None
    late: bool | None = None
    today: date | None = None


@dataclass(frozen=True)
class EarlierApplication:
    form: dict[str, Any]
    materials: dict[str, MaterialReference]


@dataclass(frozen=True)
class IdempotencyRecord:
    body_hash: str
    acceptance_number: str


class ApplicationRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, application: Application) -> None:
        """A newly accepted application, with its tasks and timeline; stored when the unit of work commits."""

    @abc.abstractmethod
    async def get(self, number: str, *, lock: bool = False) -> Application | None:
        """By acceptance number, with every task; ``lock``: the application, then its tasks, for update."""

    @abc.abstractmethod
    async def get_by_id(self, application_id: str, *, lock: bool = False) -> Application | None: ...

    @abc.abstractmethod
    async def for_task(self, task_id: str, *, lock: bool = False) -> Application | None:
        """The application one of whose tasks is ``task_id``."""

    @abc.abstractmethod
    async def next_number(self, day: date) -> int:
        """The day's next sequence number; the counter stays locked until the unit of work ends."""

    @abc.abstractmethod
    async def material_ids_of(self, applicant_id: str) -> set[str]:
        """Every material id the applicant's applications so far referenced (their reused 一套材料)."""

    @abc.abstractmethod
    async def earlier_of(self, applicant_id: str) -> list[EarlierApplication]:
        """The applicant's applications' forms and materials, oldest first."""

    @abc.abstractmethod
    async def page(
        self, where: ApplicationFilter, *, limit: int, offset: int
    ) -> tuple[list[Application], int]:
        """Newest acceptance first; ``(page, total matching)``."""

    @abc.abstractmethod
    async def task_page(
        self, where: TaskFilter, *, limit: int, offset: int
    ) -> tuple[list[tuple[Task, Application]], int]:
        """Most urgent first (deadline, then id); ``(page of (task, its application), total matching)``."""

    @abc.abstractmethod
    async def claim_due(self, *, horizon: date, limit: int) -> list[tuple[Application, list[str]]]:
        """Running tasks due by ``horizon`` and not yet flagged overdue, or provisional — locked, skipping
        those another replica holds — grouped by application: ``(application, claimed task ids)``."""

    @abc.abstractmethod
    async def claim_due_dates(
        self, *, today: date, horizon: date, limit: int
    ) -> list[tuple[Application, list[str]]]:
        """Open tasks whose 补正 or 容缺 due date wants the due-date round (``Task.wants_due_check``) —
        locked, skipping those another replica holds — grouped by application, as :meth:`claim_due`."""

    @abc.abstractmethod
    async def claim_open(self, *, due_from: date, started_by: date) -> list[Application]:
        """Applications with an open task started by ``started_by`` and due on or after ``due_from``, each
        locked (the application, then its tasks; waiting for other holders), in id order — the deadlines a
        new holiday notice may move."""


class MatterRepository(abc.ABC):
    """The local copy of every published version of the catalog's key matters."""

    @abc.abstractmethod
    async def current(self, code: str) -> MatterPublished | None:
        """The latest published version; ``None`` if unknown or retired."""

    @abc.abstractmethod
    async def version(self, code: str, version: int) -> MatterPublished | None: ...

    @abc.abstractmethod
    async def save(self, matter: MatterPublished, *, received_at: datetime) -> None:
        """Keep this version; a republished version replaces its copy (the catalog is the source of truth)."""

    @abc.abstractmethod
    async def retire(self, code: str) -> None:
        """No version of ``code`` takes applications any more."""

    @abc.abstractmethod
    async def latest(self) -> list[MatterPublished]:
        """The latest version of every matter that is not retired."""


class ReviewRepository(abc.ABC):
    @abc.abstractmethod
    async def get(self, application_id: str) -> Review | None: ...

    @abc.abstractmethod
    def add(self, review: Review) -> None: ...


class RectificationRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, rectification: Rectification) -> None: ...

    @abc.abstractmethod
    async def get(self, rectification_id: str, *, lock: bool = False) -> Rectification | None: ...

    @abc.abstractmethod
    async def page(
        self, *, department: str | None, status: str | None, limit: int, offset: int
    ) -> tuple[list[Rectification], int]:
        """Earliest due first."""


class TimelineRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, entry: TimelineEntry) -> None:
        """Append (never updated or deleted)."""

    @abc.abstractmethod
    async def of(self, application_id: str) -> list[TimelineEntry]:
        """In the order the entries were written."""


class IdempotencyRepository(abc.ABC):
    @abc.abstractmethod
    async def find(self, caller: str, key: str) -> IdempotencyRecord | None: ...

    @abc.abstractmethod
    async def claim(
        self, caller: str, key: str, *, body_hash: str, application_id: str, at: datetime
    ) -> bool:
        """Take ``key`` for the application being created; False when a concurrent twin already took it
        (the unit of work must then be rolled back before anything else is read)."""


class StatisticsRepository(abc.ABC):
    """SQL aggregates over what was recorded at acceptance and at the end (效能监督)."""

    @abc.abstractmethod
    async def figures(self, by: Grouping, period: Period) -> dict[str, Figures]:
        """Per key matter (applications) or department (tasks) submitted in ``period``."""

    @abc.abstractmethod
    async def open_bad_reviews(self, by: Grouping, period: Period) -> dict[str, int]:
        """Open rectifications of applications submitted in ``period``, per matter or department."""
