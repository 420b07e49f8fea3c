"""Need-to-know access grants: a department may read the materials its task references, and no others.

* ``task.assigned`` grants the task's department each referenced material of the applicant.
* ``application.supplement-received`` (补正/容缺) grants each resumed task's department the supplied
  materials that task needs — the intersection of what was handed in and what the task names.
* A reference to someone else's material grants nothing, whatever the event says: a task opens only its
  own applicant's locker.
* ``task.completed`` / ``task.cancelled`` end the task's grants; a task whose grants ended is never
  granted again by a late supplement (the two events travel on different topics).
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from onematter_events.applications import ApplicationSupplementReceived, TaskAssigned
from onematter_kit.identity import Principal, Role

__all__ = ["GrantRequest", "grant_department", "grants_for_assignment", "grants_for_supplement"]


@dataclass(frozen=True, kw_only=True)
class GrantRequest:
    """An event's wish: ``department`` (for ``task_id``) may read ``wanted`` of the applicant's materials."""

    task_id: str
    department: str
    application_id: str
    applicant_id: str
    wanted: frozenset[str]

    def to_grant(self, *, owned: Set[str], already: Set[str]) -> list[str]:
        """The material ids to grant now, in a stable order: wanted, the applicant's own, not yet granted."""
        return sorted((self.wanted & owned) - already)

    def foreign(self, *, owned: Set[str]) -> int:
        """How many wanted ids are not the applicant's (ignored, and worth a warning in the log)."""
        return len(self.wanted - owned)


def grants_for_assignment(task: TaskAssigned) -> GrantRequest:
    """The task's department may read each uploaded material the task references."""
    return GrantRequest(
        task_id=task.task_id,
        department=task.department,
        application_id=task.application_id,
        applicant_id=task.applicant_id,
        wanted=frozenset(ref.material_id for ref in task.materials if ref.material_id),
    )


def grants_for_supplement(
    supplement: ApplicationSupplementReceived, *, ended_tasks: Set[str]
) -> list[GrantRequest]:
    """补正: each resumed task (unless it already ended) may read the supplied materials it needs.

    Events from producers without ``resumed_tasks`` grant nothing: their tasks keep their earlier grants.
    """
    supplied = frozenset(supplement.materials.values())
    return [
        GrantRequest(
            task_id=task.task_id,
            department=task.department,
            application_id=supplement.application_id,
            applicant_id=supplement.applicant_id,
            wanted=frozenset(task.material_ids) & supplied,
        )
        for task in supplement.resumed_tasks
        if task.task_id not in ended_tasks
    ]


def grant_department(reader: Principal) -> str | None:
    """The department whose grants let ``reader`` read someone else's material: an officer's own, else
    ``None`` (nobody else ever reads another person's locker)."""
    department: str | None = reader.department
    return department if department and reader.has(Role.officer) else None
