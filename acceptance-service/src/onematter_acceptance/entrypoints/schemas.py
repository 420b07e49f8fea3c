"""The HTTP contract (separate from the tables, so either can change without the other)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CloseRectificationIn",
    "DecisionIn",
    "RejectIn",
    "ReviewIn",
    "SubmissionIn",
    "SupplementIn",
    "SupplementRequestIn",
]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SubmissionIn(_In):
    matter_code: str = Field(min_length=1, max_length=64)
    form: dict[str, Any] = Field(default_factory=dict)
    #: material_type → material id (uploaded once, to the material service).
    materials: dict[str, str] = Field(default_factory=dict)
    channel: Literal["online", "window", "kiosk"] = "online"
    #: 帮办代办 — the applicant a window clerk submits for.
    on_behalf_of: str | None = Field(default=None, max_length=128)


class DecisionIn(_In):
    #: The electronic licence (a material type) this approval issues, e.g. ``birth_medical_cert``.
    licence_type: str | None = Field(default=None, max_length=64)
    licence_number: str | None = Field(default=None, max_length=128)
    licence_valid_until: date | None = None
    comment: str | None = Field(default=None, max_length=2000)


class RejectIn(_In):
    reason: str = Field(min_length=1, max_length=2000)


class SupplementRequestIn(_In):
    """补正: material types the task's item requires (each at most 64 characters), why (at most 2000
    characters), and optionally the due date (a China date after today, at most 20 working days away;
    default 5 working days)."""

    materials: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(min_length=1, max_length=50)
    reason: str = Field(min_length=1, max_length=2000)
    due_on: date | None = None


class SupplementIn(_In):
    materials: dict[str, str] = Field(min_length=1)


class CloseRectificationIn(_In):
    #: What was done about the bad review (整改情况).
    note: str = Field(min_length=1, max_length=2000)


class ReviewIn(_In):
    #: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意.
    level: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=2000)
