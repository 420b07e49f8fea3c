"""An application as its applicant, clerk, officers and supervisors read it; prefill; the review answer."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from onematter_kit.clock import ChinaTime
from pydantic import BaseModel

from onematter_acceptance.domain.application import Application
from onematter_acceptance.domain.prefill import Coverage, Prefill
from onematter_acceptance.domain.reviews import LEVELS, Rectification, Review
from onematter_acceptance.entrypoints.public.tasks import MaterialRefPublic, TaskPublic
from onematter_acceptance.service_layer.queries import ApplicationReading

__all__ = [
    "ApplicationPublic",
    "ApplicationSummaryPublic",
    "PrefillPublic",
    "ReviewAnswerPublic",
    "SupplementAnswerPublic",
]


class ApplicationSummaryPublic(BaseModel):
    id: str
    acceptance_number: str
    matter_code: str
    matter_version: int
    applicant_id: str
    submitted_by: str
    channel: str
    status: str
    accepted_at: ChinaTime
    deadline: date
    deadline_provisional: bool
    completed_at: ChinaTime | None

    @staticmethod
    def fields_of(a: Application) -> dict[str, Any]:
        return {
            "id": a.id,
            "acceptance_number": a.acceptance_number,
            "matter_code": a.matter_code,
            "matter_version": a.matter_version,
            "applicant_id": a.applicant_id,
            "submitted_by": a.submitted_by,
            "channel": a.channel,
            "status": a.status,
            "accepted_at": a.accepted_at,
            "deadline": a.deadline,
            "deadline_provisional": a.deadline_provisional,
            "completed_at": a.completed_at,
        }

    @classmethod
    def of(cls, a: Application) -> ApplicationSummaryPublic:
        return cls(**cls.fields_of(a))


class DemandPublic(BaseModel):
    """One material of the open 补正 request: why, asked by which departments, for which tasks."""

    reasons: list[str]
    departments: list[str]
    task_ids: list[str]


class RejectionPublic(BaseModel):
    task_id: str
    item_code: str
    department: str
    reason: str


class MatterRefPublic(BaseModel):
    """The matter version the application pinned."""

    code: str
    version: int
    name_zh: str | None


class ReviewPublic(BaseModel):
    level: int
    label: str
    comment: str
    bad: bool
    submitted_at: ChinaTime


class TimelineEntryPublic(BaseModel):
    at: ChinaTime
    actor: str
    kind: str
    detail: dict[str, Any]


class ApplicationPublic(ApplicationSummaryPublic):
    """The whole file; an officer sees only its own tasks' fields, materials and tasks (need to know)."""

    form: dict[str, Any]
    materials: dict[str, MaterialRefPublic]
    deferred_materials: list[str]
    supplement_due: date | None
    open_supplement: dict[str, DemandPublic]
    rejections: list[RejectionPublic]
    matter: MatterRefPublic
    tasks: list[TaskPublic]
    review: ReviewPublic | None
    timeline: list[TimelineEntryPublic]

    @staticmethod
    def detail_of(r: ApplicationReading) -> dict[str, Any]:
        a = r.application
        return {
            **ApplicationSummaryPublic.fields_of(a),
            "form": r.form,
            "materials": {k: m.model_dump() for k, m in r.materials.items()},
            "deferred_materials": a.deferred_materials,
            "supplement_due": a.supplement_due,
            "open_supplement": {k: vars(d) for k, d in a.open_supplement.items()},
            "rejections": [vars(x) for x in a.rejections],
            "matter": MatterRefPublic(code=a.matter_code, version=a.matter_version, name_zh=r.matter_name_zh),
            "tasks": [TaskPublic.of(t) for t in r.tasks],
            "review": None if r.review is None else ReviewPublic.model_validate(vars(r.review)),
            "timeline": [TimelineEntryPublic.model_validate(vars(e)) for e in r.timeline],
        }

    @classmethod
    def of_reading(cls, r: ApplicationReading) -> ApplicationPublic:
        return cls(**cls.detail_of(r))


class SupplementAnswerPublic(ApplicationPublic):
    """The application after a supplement, and the tasks it resumed."""

    resumed_task_ids: list[str]


class RectificationRefPublic(BaseModel):
    id: str
    department: str
    due: date
    status: str


class ReviewAnswerPublic(BaseModel):
    acceptance_number: str
    level: int
    label: str
    comment: str
    bad: bool
    #: The scale: 5 非常满意 … 1 非常不满意.
    levels: dict[int, str]
    rectification: RectificationRefPublic | None

    @classmethod
    def of(cls, number: str, *, review: Review, rectification: Rectification | None) -> ReviewAnswerPublic:
        return cls(
            acceptance_number=number,
            level=review.level,
            label=review.label,
            comment=review.comment,
            bad=review.bad,
            levels=LEVELS,
            rectification=None
            if rectification is None
            else RectificationRefPublic(
                id=rectification.id,
                department=rectification.department,
                due=rectification.due,
                status=rectification.status,
            ),
        )


class CoveragePublic(BaseModel):
    material_type: str
    name_zh: str | None
    name_en: str | None
    key: bool
    deferrable: bool
    commitment_allowed: bool
    covered_by: Literal["licence", "earlier_material"] | None
    licence_id: str | None
    licence_number: str | None
    material_id: str | None

    @classmethod
    def of(cls, c: Coverage) -> CoveragePublic:
        m = c.material
        return cls(
            material_type=m.material_type,
            name_zh=m.name_zh,
            name_en=m.name_en,
            key=m.key,
            deferrable=m.deferrable,
            commitment_allowed=m.commitment_allowed,
            covered_by=c.covered_by,
            licence_id=c.licence.id if c.licence else None,
            licence_number=c.licence.number if c.licence else None,
            material_id=c.material_id,
        )


class PrefillPublic(BaseModel):
    matter_code: str
    applicant_id: str
    #: Form values already known, and where each came from.
    values: dict[str, Any]
    sources: dict[str, Literal["earlier_application", "licence"]]
    materials: list[CoveragePublic]

    @classmethod
    def of(cls, p: Prefill) -> PrefillPublic:
        return cls(
            matter_code=p.matter_code,
            applicant_id=p.applicant_id,
            values=p.values,
            sources=p.sources,
            materials=[CoveragePublic.of(c) for c in p.materials],
        )
