"""Efficiency figures for supervisors (效能监督): what is recorded on each application and task so that
the statistics are SQL aggregates, and the small rules behind each figure. Pure, no I/O.

* on time — the application (task) ended (办结) no later than its deadline, as the deadline stood then
  (pauses for a 补正 supplement already extend it);
* handling time — working days (工作日, the legal calendar with 调休) from acceptance to the end;
* materials avoided (少交材料) — materials the applicant did not hand in because an electronic licence
  held satisfied them (免证办) or a material handed in for an earlier application was reused (一套材料).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from onematter_events.applications import MaterialReference

from onematter_acceptance.domain.calendar import WorkCalendar

__all__ = ["Ending", "avoided_materials", "count_for", "ending", "rate"]


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


def ending(*, accepted_on: date, ended_on: date, deadline: date, calendar: WorkCalendar) -> Ending:
    """What is recorded when an application or a task ends on ``ended_on``."""
    return Ending(
        on_time=ended_on <= deadline,
        handling_working_days=calendar.working_days_between(accepted_on, ended_on),
    )


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to 4 places; ``None`` (not 0) when nothing was counted."""
    return round(part / whole, 4) if whole else None
