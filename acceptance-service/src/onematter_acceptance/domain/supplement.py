"""补正 (supplement) requests: several departments' requests merged into one for the applicant, each
material asked once, and which waiting task may resume once materials arrive."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["Demand", "merge_supplement", "ready_to_resume"]


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
