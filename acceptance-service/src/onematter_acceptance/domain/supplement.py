"""补正 (supplement) requests: several departments' requests merged into one for the applicant, each
material asked once, and which waiting task may resume once materials arrive."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.task import Task, TaskStatus

__all__ = [
    "SUPPLEMENT_DEFAULT_WORKING_DAYS",
    "SUPPLEMENT_MAX_WORKING_DAYS",
    "Demand",
    "Resumed",
    "SupplementWindow",
    "merge_supplement",
    "ready_to_resume",
    "request_problems",
    "resume_ready",
]


@dataclass(frozen=True)
class Demand:
    """Why one material is asked for, by which departments, for which of their tasks (each listed once)."""

    reasons: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    task_ids: tuple[str, ...] = field(default=())

    def adding(self, *, reason: str, department: str, task_id: str) -> Demand:
        def once(values: tuple[str, ...], value: str) -> tuple[str, ...]:
            return values if value in values else (*values, value)

        return Demand(
            reasons=once(self.reasons, reason),
            departments=once(self.departments, department),
            task_ids=once(self.task_ids, task_id),
        )


def merge_supplement(
    open_items: Mapping[str, Demand],
    *,
    materials: Sequence[str],
    reason: str,
    department: str,
    task_id: str,
) -> dict[str, Demand]:
    """The application's open 补正 request with one department's merged in (type → demand)."""
    merged = dict(open_items)
    for material_type in dict.fromkeys(materials):
        merged[material_type] = merged.get(material_type, Demand()).adding(
            reason=reason, department=department, task_id=task_id
        )
    return merged


def ready_to_resume(requested: Sequence[str], outstanding: Collection[str]) -> bool:
    """A waiting task resumes once none of the materials it asked for is outstanding."""
    return not (set(requested) & set(outstanding))


@dataclass(frozen=True)
class Resumed:
    """A task a supplement resumed, with the supplied materials it needs (its department may read these)."""

    task_id: str
    department: str
    material_ids: list[str]


def resume_ready(
    tasks: Sequence[Task],
    supplied: Mapping[str, str],
    *,
    outstanding: Collection[str],
    today: date,
    calendar: WorkCalendar,
) -> list[Resumed]:
    """Resume every waiting task none of whose requested materials is ``outstanding`` any more.

    Each resumed task needs the supplied materials (type → id) its 补正 request named or its item requires.
    """
    resumed = []
    for task in tasks:
        if task.status == TaskStatus.waiting_supplement and ready_to_resume(
            task.requested_materials, outstanding
        ):
            needed = set(task.requested_materials) | {m.material_type for m in task.materials}
            ids = sorted({i for kind, i in supplied.items() if kind in needed})
            task.resume(today=today, calendar=calendar)
            resumed.append(Resumed(task.id, task.department, ids))
    return resumed


#: A 补正 request's default answer time, in working days after the request, for an item that declares no
#: term of its own (issue 15: "e.g. 5 working days"; 《行政许可法》第三十二条 asks for 补正 to be requested
#: 一次告知, without a statutory answer time, so the term is the item's — see ``ItemTerms``).
SUPPLEMENT_DEFAULT_WORKING_DAYS = 5
#: The latest due date a department may set, in working days after the request: a paused clock must end
#: (or the item's own term, when that is longer).
SUPPLEMENT_MAX_WORKING_DAYS = 20


@dataclass(frozen=True)
class SupplementWindow:
    """When a 补正 requested on ``today`` may be due: after it, by ``latest``; ``default`` otherwise."""

    today: date
    default: date
    latest: date
    max_days: int = SUPPLEMENT_MAX_WORKING_DAYS

    @classmethod
    def on(
        cls, today: date, calendar: WorkCalendar, *, default_days: int = SUPPLEMENT_DEFAULT_WORKING_DAYS
    ) -> SupplementWindow:
        """``default_days``: the item's 补正 term (working days after ``today``)."""
        max_days = max(SUPPLEMENT_MAX_WORKING_DAYS, default_days)
        return cls(
            today=today,
            default=calendar.add_working_days(today, default_days),
            latest=calendar.add_working_days(today, max_days),
            max_days=max_days,
        )

    def problems(self, due: date | None) -> list[dict[str, str]]:
        """Why ``due`` cannot be the due date (field ``due_on``); none for ``None`` (the default applies)."""
        if due is not None and due <= self.today:
            return [{"field": "due_on", "message": f"must be after today ({self.today}, China time)"}]
        if due is not None and due > self.latest:
            message = f"must be no later than {self.latest} ({self.max_days} working days)"
            return [{"field": "due_on", "message": message}]
        return []


def request_problems(task: Task, materials: Sequence[str]) -> list[dict[str, str]]:
    """Materials a 补正 request on ``task`` may not name: only the types its item requires (issue 16)."""
    allowed = task.requestable_materials
    return [
        {"field": f"materials.{i}", "message": "is not a material of this task's item"}
        for i, kind in enumerate(materials)
        if kind not in allowed
    ]
