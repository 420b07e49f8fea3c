"""好差评: five levels; the two lowest are a bad review that opens a rectification (整改) for the lead
department, due in working days on the legal calendar."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from onematter_acceptance.domain.errors import NotPossibleNow
from onematter_acceptance.domain.timeline import TimelineEntry

__all__ = [
    "LEVELS",
    "RECTIFICATION_WORKING_DAYS",
    "Rectification",
    "RectificationStatus",
    "Review",
    "is_bad",
    "level_label",
]

LEVELS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
#: Default time a lead department has to rectify after a bad review.
RECTIFICATION_WORKING_DAYS = 15


def level_label(level: int) -> str:
    return LEVELS[level]


def is_bad(level: int) -> bool:
    return level <= 2


@dataclass(frozen=True)
class Review:
    """The applicant's one review of an ended application."""

    application_id: str
    applicant_id: str
    level: int
    label: str
    comment: str
    bad: bool
    submitted_at: datetime


class RectificationStatus:
    open = "open"
    closed = "closed"


@dataclass
class Rectification:
    """What a bad review asks of the lead department, closed once by a supervisor with a note (整改情况)."""

    id: str
    application_id: str
    acceptance_number: str
    department: str
    level: int
    comment: str
    due: date
    created_at: datetime
    status: str = RectificationStatus.open
    closed_at: datetime | None = None
    closed_by: str | None = None
    close_note: str | None = None

    @classmethod
    def for_review(
        cls, review: Review, *, acceptance_number: str, department: str, due: date
    ) -> Rectification:
        return cls(
            id=str(uuid.uuid4()),
            application_id=review.application_id,
            acceptance_number=acceptance_number,
            department=department,
            level=review.level,
            comment=review.comment,
            due=due,
            created_at=review.submitted_at,
        )

    def close(self, *, by: str, note: str, now: datetime) -> TimelineEntry:
        """Close it; the returned entry goes on the application's timeline (the file shows it was handled)."""
        if self.status != RectificationStatus.open:
            raise NotPossibleNow("This rectification is already closed.")
        self.status, self.closed_at, self.closed_by, self.close_note = (
            RectificationStatus.closed,
            now,
            by,
            note,
        )
        return TimelineEntry(
            self.application_id, now, by, "rectification_closed", {"rectification_id": self.id, "note": note}
        )
