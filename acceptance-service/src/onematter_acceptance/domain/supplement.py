"""补正 (supplement) requests: several departments' requests merged into one for the applicant, each
material asked once, and which waiting task may resume once materials arrive."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.task import Task, TaskStatus

__all__ = ["Demand", "Resumed", "merge_supplement", "ready_to_resume", "resume_ready"]


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
