"""The working-day calendar the hotline counts due dates on (libs/workdays), as a small interface."""

from __future__ import annotations

from datetime import date
from typing import Protocol

__all__ = ["WorkingDays"]


class WorkingDays(Protocol):
    def add_working_days(self, start: date, days: int) -> date: ...
