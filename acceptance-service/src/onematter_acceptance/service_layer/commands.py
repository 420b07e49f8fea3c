"""Commands: what a caller asks acceptance to do. Frozen, named imperatively; handlers take one each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from onematter_kit.identity import Principal

__all__ = [
    "AnswerSupplement",
    "CheckDueDates",
    "CheckOverdue",
    "CloseRectification",
    "DecideTask",
    "RequestSupplement",
    "ReviewApplication",
    "SubmitApplication",
    "WithdrawApplication",
]


@dataclass(frozen=True, kw_only=True)
class SubmitApplication:
    """一窗受理; ``on_behalf_of``: the applicant a window clerk submits for (帮办代办)."""

    caller: Principal
    idempotency_key: str
    matter_code: str
    form: dict[str, Any] = field(default_factory=dict)
    #: material type → material id (uploaded once, to the material service).
    materials: dict[str, str] = field(default_factory=dict)
    channel: Literal["online", "window", "kiosk"] = "online"
    on_behalf_of: str | None = None

    def body(self) -> dict[str, Any]:
        """What the Idempotency-Key is bound to: the request body, as the caller sent it."""
        return {
            "matter_code": self.matter_code,
            "form": self.form,
            "materials": self.materials,
            "channel": self.channel,
            "on_behalf_of": self.on_behalf_of,
        }


@dataclass(frozen=True, kw_only=True)
class DecideTask:
    """An officer approves or rejects a task of its own department; an approval may issue a licence."""

    task_id: str
    officer: Principal
    outcome: Literal["approved", "rejected"]
    reason: str | None = None
    licence_type: str | None = None
    licence_number: str | None = None
    licence_valid_until: date | None = None


@dataclass(frozen=True, kw_only=True)
class RequestSupplement:
    """补正: an officer asks the applicant for materials; the task's clock pauses."""

    task_id: str
    officer: Principal
    materials: list[str]
    reason: str
    #: The due date the department sets (China date); None: the default term.
    due_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class AnswerSupplement:
    """The applicant (or the clerk who submitted) hands in requested (补正) or deferred (容缺) materials."""

    number: str
    caller: Principal
    materials: dict[str, str]


@dataclass(frozen=True, kw_only=True)
class WithdrawApplication:
    number: str
    caller: Principal


@dataclass(frozen=True, kw_only=True)
class ReviewApplication:
    """好差评: level 5 非常满意 … 1 非常不满意."""

    number: str
    caller: Principal
    level: int
    comment: str = ""


@dataclass(frozen=True, kw_only=True)
class CloseRectification:
    rectification_id: str
    supervisor: Principal
    note: str


@dataclass(frozen=True, kw_only=True)
class CheckOverdue:
    """One round of the overdue check; ``today`` (a date in China) defaults to the clock's."""

    today: date | None = None


@dataclass(frozen=True, kw_only=True)
class CheckDueDates:
    """One round of the 补正 / 容缺 due-date check; ``today`` (China) defaults to the clock's;
    ``reminder_days``: how many working days before a due date the applicant is reminded."""

    today: date | None = None
    reminder_days: int = 1
