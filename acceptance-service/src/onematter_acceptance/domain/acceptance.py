"""一窗受理: accepting a submission — the acceptance number, and one task per service item with its own
fields, materials and legal clock (并联办理).

Pure: the service layer has already validated the form, resolved the materials and drawn the day's
sequence number; this module builds the application exactly as it is accepted.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from onematter_clock import china_date
from onematter_events.applications import MaterialReference
from onematter_events.matters import MatterPublished, PublishedItem

from onematter_acceptance.domain.application import Application
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.clock import Deadline, compute_deadline, due_after
from onematter_acceptance.domain.duedates import ItemTerms
from onematter_acceptance.domain.forms import fields_for_item
from onematter_acceptance.domain.materials import MaterialResolution
from onematter_acceptance.domain.statistics import avoided_materials, count_for
from onematter_acceptance.domain.task import Task

__all__ = ["Submission", "accept", "acceptance_number", "plan_tasks"]


def acceptance_number(day: date, sequence: int) -> str:
    """``YJS-YYYYMMDD-NNNNNN`` (一件事): the day in China, readable over the phone, one counter a day."""
    return f"YJS-{day:%Y%m%d}-{sequence:06d}"


@dataclass(frozen=True)
class Submission:
    """Who submitted what, through which channel (``submitted_by`` is the clerk in 帮办代办)."""

    applicant_id: str
    submitted_by: str
    channel: str
    form: Mapping[str, Any]
    on_behalf_of: str | None = None


def accept(
    submission: Submission,
    *,
    application_id: str,
    sequence: int,
    now: datetime,
    matter: MatterPublished,
    resolution: MaterialResolution,
    earlier_material_ids: Collection[str],
    calendar: WorkCalendar,
) -> Application:
    """The accepted application: numbered for the day in China at ``now``, which is also day 0 of its clock.

    ``earlier_material_ids``: materials of the applicant's earlier applications, so that a reused material
    counts as avoided (少交材料), as does a licence held (免证办).
    """
    today = china_date(now)
    avoided = avoided_materials(resolution.refs, earlier_material_ids)
    tasks = plan_tasks(
        application_id=application_id,
        matter=matter,
        form=submission.form,
        resolution=resolution,
        calendar=calendar,
        accepted_on=today,
        avoided=avoided,
    )
    application = Application(
        **_header(submission, matter, tasks),
        id=application_id,
        acceptance_number=acceptance_number(today, sequence),
        materials=dict(resolution.refs),
        accepted_at=now,
        deferred_materials=list(resolution.deferred),
        # 容缺: the earliest of the tasks' due dates (each from its item's term for the material)
        supplement_due=min((t.deferral_due for t in tasks if t.deferral_due), default=None),
        materials_avoided=len(avoided),
    )
    _record_acceptance(application, submission, now=now)
    return application


def _record_acceptance(application: Application, submission: Submission, *, now: datetime) -> None:
    application.record(
        actor=submission.submitted_by,
        kind="accepted",
        at=now,
        channel=submission.channel,
        acceptance_number=application.acceptance_number,
        on_behalf_of=submission.on_behalf_of,
        deferred=list(application.deferred_materials),
    )


def _header(submission: Submission, matter: MatterPublished, tasks: list[Task]) -> dict[str, Any]:
    """Whose application it is, for which pinned matter version, through which channel; its tasks and
    their latest deadline."""
    return {
        "tasks": tasks,
        "deadline": max(t.deadline for t in tasks),
        "deadline_provisional": any(t.deadline_provisional for t in tasks),
        "matter_code": matter.matter_code,
        "matter_version": matter.version,
        "lead_department": matter.lead_department,
        "applicant_id": submission.applicant_id,
        "submitted_by": submission.submitted_by,
        "channel": submission.channel,
        "form": dict(submission.form),
    }


def plan_tasks(
    *,
    application_id: str,
    matter: MatterPublished,
    form: Mapping[str, Any],
    resolution: MaterialResolution,
    calendar: WorkCalendar,
    accepted_on: date,
    avoided: Collection[str] = frozenset(),
) -> list[Task]:
    """One task per item, each with only its own fields and materials and its own legal clock.

    ``avoided``: the material types not handed in (少交材料), counted per task for the statistics.
    """
    tasks = [
        _task(
            item,
            application_id=application_id,
            form=fields_for_item(form, matter.field_items, item.code),
            refs=resolution.for_item(item),
            deadline=compute_deadline(calendar, start=accepted_on, working_days=item.committed_days),
        )
        for item in matter.items
    ]
    for task, item in zip(tasks, matter.items, strict=True):
        task.materials_avoided = count_for((m.material_type for m in task.materials), avoided)
        _set_terms(task, ItemTerms.of(item, default_days=matter.supplement_days), calendar, accepted_on)
    return tasks


def _set_terms(task: Task, terms: ItemTerms, calendar: WorkCalendar, accepted_on: date) -> None:
    """The item's terms; each deferred (容缺) material is due its term's working days after acceptance."""
    task.terms = terms
    task.deferral_dues = {
        kind: due_after(calendar, accepted_on, terms.deferral_for(kind).working_days)
        for kind in task.pending_deferred
    }
    task.deferral_due = min(task.deferral_dues.values(), default=None)


def _task(
    item: PublishedItem,
    *,
    application_id: str,
    form: dict[str, Any],
    refs: list[MaterialReference],
    deadline: Deadline,
) -> Task:
    return Task(
        id=str(uuid.uuid4()),
        application_id=application_id,
        item_code=item.code,
        item_name_zh=item.name_zh,
        department=item.department,
        committed_days=item.committed_days,
        started_on=deadline.start,
        deadline=deadline.due,
        deadline_provisional=deadline.provisional,
        form=form,
        materials=refs,
        verify_after_commitment=any(r.by_commitment for r in refs),
        issues_licence=item.issues_licence,
    )
