"""The application's timeline (办件记录): what happened, when, and who did it. Append-only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["SYSTEM", "TimelineEntry"]

#: The actor of what the platform itself did (办结, an overdue flag).
SYSTEM = "system"


@dataclass(frozen=True)
class TimelineEntry:
    """One event of an application's life; ``detail`` holds JSON-ready values only (no personal data)."""

    application_id: str
    at: datetime
    actor: str
    kind: str
    detail: dict[str, Any] = field(default_factory=dict)
