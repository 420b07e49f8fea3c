"""What supervisors read: statistics per key matter or department, and rectifications."""

from __future__ import annotations

from datetime import date

from onematter_kit.clock import ChinaTime
from pydantic import BaseModel

from onematter_acceptance.domain.reviews import Rectification
from onematter_acceptance.service_layer.supervision import Statistics

__all__ = ["RectificationPublic", "StatisticsPublic", "StatisticsRowPublic"]


class RectificationPublic(BaseModel):
    id: str
    acceptance_number: str
    department: str
    level: int
    comment: str
    due: date
    status: str
    created_at: ChinaTime
    closed_at: ChinaTime | None
    closed_by: str | None
    close_note: str | None

    @classmethod
    def of(cls, r: Rectification) -> RectificationPublic:
        return cls.model_validate({k: v for k, v in vars(r).items() if k != "application_id"})


class StatisticsRowPublic(BaseModel):
    code: str
    name: str
    #: Applications (per matter) or tasks (per department) submitted in the period.
    applications: int
    completed: int
    in_progress: int
    on_time: int
    #: On time over completed; null (not 0) when none completed.
    on_time_rate: float | None
    average_handling_working_days: float | None
    #: Materials not handed in thanks to a licence held or an earlier material (少交材料).
    materials_avoided: int
    #: Bad reviews whose rectification is still open.
    open_bad_reviews: int


class StatisticsPublic(BaseModel):
    items: list[StatisticsRowPublic]
    generated_at: ChinaTime

    @classmethod
    def of(cls, s: Statistics) -> StatisticsPublic:
        return cls(
            items=[StatisticsRowPublic.model_validate(vars(r)) for r in s.items], generated_at=s.generated_at
        )
