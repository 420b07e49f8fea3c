"""Efficiency figures for supervisors (效能监督): what is recorded on each application and task so that
the statistics are SQL aggregates, and the small rules behind each figure. Pure, no I/O.

* on time — the application (task) ended (办结) no later than its deadline, as the deadline stood then
  (pauses for a 补正 supplement already extend it);
* handling time — working days (工作日, the legal calendar with 调休) from acceptance to the end;
* materials avoided (少交材料) — materials the applicant did not hand in because an electronic licence
  held satisfied them (免证办) or a material handed in for an earlier application was reused (一套材料);
* the period — submission dates in China (the day a person there would write down), both ends inclusive.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from onematter_events.applications import MaterialReference
from onematter_events.matters import MatterPublished

__all__ = [
    "Ending",
    "Figures",
    "Period",
    "StatisticsRow",
    "avoided_materials",
    "count_for",
    "department_names",
    "ending",
    "matter_names",
    "rate",
    "statistics_row",
]


class _Counts(Protocol):
    def working_days_between(self, start: date, end: date) -> int: ...


def avoided_materials(
    refs: Mapping[str, MaterialReference], earlier_material_ids: Collection[str]
) -> frozenset[str]:
    """The material types of ``refs`` satisfied by a licence or by a material of an earlier application.

    A material uploaded for this application is not "avoided", even if it serves several items: the
    statistics count visits and hand-ins saved against what the applicant already gave the government.
    """
    return frozenset(
        kind
        for kind, ref in refs.items()
        if ref.licence_id or (ref.material_id is not None and ref.material_id in earlier_material_ids)
    )


def count_for(material_types: Iterable[str], avoided: Collection[str]) -> int:
    return sum(1 for kind in material_types if kind in avoided)


@dataclass(frozen=True)
class Ending:
    on_time: bool
    handling_working_days: int


def ending(*, accepted_on: date, ended_on: date, deadline: date, calendar: _Counts) -> Ending:
    """What is recorded when an application or a task ends on ``ended_on`` (dates in China)."""
    return Ending(
        on_time=ended_on <= deadline,
        handling_working_days=calendar.working_days_between(accepted_on, ended_on),
    )


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to 4 places; ``None`` (not 0) when nothing was counted."""
    return round(part / whole, 4) if whole else None


@dataclass(frozen=True)
class Period:
    """Submission dates in China, both inclusive; ``None`` leaves that end open."""

    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Figures:
    """The aggregates of one group (a key matter's applications, or a department's tasks)."""

    applications: int = 0
    completed: int = 0
    in_progress: int = 0
    on_time: int = 0
    average_days: float | None = None
    materials_avoided: int = 0


@dataclass(frozen=True)
class StatisticsRow:
    code: str
    name: str
    applications: int
    completed: int
    in_progress: int
    on_time: int
    on_time_rate: float | None
    average_handling_working_days: float | None
    materials_avoided: int
    open_bad_reviews: int


def statistics_row(code: str, name: str, figures: Figures | None, open_bad_reviews: int) -> StatisticsRow:
    """One row: the on-time rate is over the ended ones; the average is rounded to 2 places."""
    f = figures or Figures()
    return StatisticsRow(
        code=code,
        name=name,
        applications=f.applications,
        completed=f.completed,
        in_progress=f.in_progress,
        on_time=f.on_time,
        on_time_rate=rate(f.on_time, f.completed),
        average_handling_working_days=None if f.average_days is None else round(f.average_days, 2),
        materials_avoided=f.materials_avoided,
        open_bad_reviews=open_bad_reviews,
    )


def matter_names(matters: Sequence[MatterPublished]) -> dict[str, str]:
    """Key matter code → its Chinese name."""
    return {m.matter_code: m.name_zh for m in matters}


def department_names(matters: Sequence[MatterPublished]) -> dict[str, str]:
    """Department code → name, from the published matters (the code when the catalog sent no name)."""
    names: dict[str, str] = {}
    for matter in matters:
        names.setdefault(matter.lead_department, matter.lead_department)
        for item in matter.items:
            names[item.department] = item.department_name_zh or names.get(item.department, item.department)
    return names
