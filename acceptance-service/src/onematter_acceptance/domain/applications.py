"""Applications (办件) and their tasks: pure rules, no I/O.

One application per submission, one task per service item (并联办理). The application ends (办结) when
every task ended: all approved → ``completed``; any rejected → ``completed_with_rejections``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from onematter_events.applications import MaterialReference
from onematter_events.matters import MatterPublished

from onematter_acceptance.domain.calendar import Deadline, WorkCalendar
from onematter_acceptance.domain.forms import fields_for_item
from onematter_acceptance.domain.materials import MaterialResolution

__all__ = [
    "ApplicationStatus",
    "TaskPlan",
    "TaskStatus",
    "acceptance_number",
    "completion",
    "merge_supplement",
    "plan_tasks",
    "ready_to_resume",
]


class ApplicationStatus:
    in_progress = "in_progress"
    waiting_supplement = "waiting_supplement"
    completed = "completed"
    completed_with_rejections = "completed_with_rejections"
    withdrawn = "withdrawn"
    ENDED = frozenset({completed, completed_with_rejections, withdrawn})


class TaskStatus:
    in_progress = "in_progress"
    waiting_supplement = "waiting_supplement"
    approved = "approved"
    rejected = "rejected"
    cancelled = "cancelled"
    OPEN = frozenset({in_progress, waiting_supplement})


def acceptance_number(day: date, sequence: int) -> str:
    """``YJS-YYYYMMDD-NNNNNN`` (一件事): readable over the phone, unique per day's counter."""
    return f"YJS-{day:%Y%m%d}-{sequence:06d}"


@dataclass(frozen=True)
class TaskPlan:
    item_code: str
    item_name_zh: str
    department: str
    committed_days: int
    deadline: Deadline
    form: dict[str, Any]
    materials: list[MaterialReference]
    verify_after_commitment: bool
    issues_licence: str | None


def plan_tasks(
    *,
    matter: MatterPublished,
    form: Mapping[str, Any],
    resolution: MaterialResolution,
    calendar: WorkCalendar,
    accepted_on: date,
) -> list[TaskPlan]:
    """One task per item, each with only its own fields and materials and its own legal clock."""
    plans = []
    for item in matter.items:
        refs = resolution.for_item(item)
        plans.append(
            TaskPlan(
                item_code=item.code,
                item_name_zh=item.name_zh,
                department=item.department,
                committed_days=item.committed_days,
                deadline=calendar.deadline(start=accepted_on, working_days=item.committed_days),
                form=fields_for_item(form, matter.field_items, item.code),
                materials=refs,
                verify_after_commitment=any(r.by_commitment for r in refs),
                issues_licence=item.issues_licence,
            )
        )
    return plans


@dataclass(frozen=True)
class Completion:
    outcome: str  # "approved" | "completed_with_rejections"
    status: str
    rejections: list[dict[str, str]]


def completion(tasks: Sequence[Mapping[str, Any]]) -> Completion | None:
    """The application's end, once no task is open; ``None`` while any task is still being handled.

    ``tasks`` are mappings with ``status``, ``id``, ``item_code``, ``department`` and ``reason``.
    """
    live = [t for t in tasks if t["status"] != TaskStatus.cancelled]
    if not live or any(t["status"] in TaskStatus.OPEN for t in live):
        return None
    rejections = [
        {
            "task_id": t["id"],
            "item_code": t["item_code"],
            "department": t["department"],
            "reason": t["reason"] or "",
        }
        for t in live
        if t["status"] == TaskStatus.rejected
    ]
    if rejections:
        return Completion(
            "completed_with_rejections", ApplicationStatus.completed_with_rejections, rejections
        )
    return Completion("approved", ApplicationStatus.completed, [])


def merge_supplement(
    open_items: Mapping[str, Mapping[str, Any]],
    *,
    materials: Sequence[str],
    reason: str,
    department: str,
    task_id: str,
) -> dict[str, dict[str, Any]]:
    """Merge one department's request into the application's open 补正 request: each material asked once.

    ``open_items``: material_type → ``{"reasons": [...], "departments": [...], "task_ids": [...]}``.
    """
    merged = {
        k: {f: list(v[f]) for f in ("reasons", "departments", "task_ids")} for k, v in open_items.items()
    }
    for material_type in dict.fromkeys(materials):
        entry = merged.setdefault(material_type, {"reasons": [], "departments": [], "task_ids": []})
        for key, value in (("reasons", reason), ("departments", department), ("task_ids", task_id)):
            if value not in entry[key]:
                entry[key].append(value)
    return merged


def ready_to_resume(requested: Sequence[str], outstanding: set[str]) -> bool:
    """A waiting task resumes once none of the materials it asked for is outstanding."""
    return not (set(requested) & outstanding)
