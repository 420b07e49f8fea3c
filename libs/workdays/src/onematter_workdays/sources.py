"""Where a day's status comes from, and the per-year tables the calendar reads.

Every answer of the calendar can name its source (``CalendarSource``): an official State Council notice
(国务院办公厅关于XXXX年部分节假日安排的通知) with its document number and version, the ``chinese_calendar``
library with its version, or the provisional statutory rule — the only *provisional* kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

__all__ = ["CalendarSource", "DayEntry", "DayStatus", "SourceKind", "YearTable"]


class SourceKind(StrEnum):
    official_notice = "official_notice"
    chinese_calendar = "chinese_calendar"
    provisional_statutory = "provisional_statutory"


@dataclass(frozen=True)
class CalendarSource:
    """What decided the days of ``year``.

    ``reference``: the notice's document number (e.g. 国办发明电〔2024〕12号), ``"chinese_calendar"``, or the
    statutory rule's citation. ``version``: the notice's version or the library's version; None for the rule.
    """

    kind: SourceKind
    year: int
    reference: str
    version: str | None = None
    issued_on: date | None = None

    @property
    def provisional(self) -> bool:
        """Only the statutory rule is provisional: the State Council's notice for the year may move days."""
        return self.kind is SourceKind.provisional_statutory

    def describe(self) -> str:
        if self.kind is SourceKind.official_notice:
            return (
                f"{self.year}: official notice {self.reference}"
                f" (version {self.version}, issued {self.issued_on})"
            )
        if self.kind is SourceKind.chinese_calendar:
            return f"{self.year}: chinese_calendar {self.version} (data from the State Council notices)"
        return (
            f"{self.year}: PROVISIONAL — statutory holidays only, {self.reference}; no 调休 until the notice"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "kind": self.kind.value,
            "reference": self.reference,
            "version": self.version,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "provisional": self.provisional,
            "description": self.describe(),
        }


@dataclass(frozen=True)
class DayEntry:
    """A day that departs from the weekday rule: a named holiday, or a 调休 working weekend (``working``).

    ``name`` is the holiday (period) name; for a working weekend, the holiday it belongs to.
    """

    working: bool
    name: str
    source: CalendarSource


@dataclass(frozen=True)
class DayStatus:
    """One day as the calendar sees it.

    ``holiday``: the holiday's name for a non-working holiday (None for a plain weekend or a working day);
    ``adjusted``: a Saturday or Sunday that is a working day (调休上班), with ``belongs_to`` its holiday.
    """

    day: date
    working: bool
    source: CalendarSource
    holiday: str | None = None
    adjusted: bool = False
    belongs_to: str | None = None


@dataclass(frozen=True)
class YearTable:
    """The days of one year that depart from Monday–Friday working, and the source of the rest."""

    year: int
    source: CalendarSource
    entries: Mapping[date, DayEntry] = field(default_factory=dict)

    def status(self, day: date) -> DayStatus:
        entry = self.entries.get(day)
        if entry is None:
            return DayStatus(day=day, working=day.weekday() < 5, source=self.source)
        if entry.working:
            return DayStatus(
                day=day, working=True, source=entry.source, adjusted=day.weekday() >= 5, belongs_to=entry.name
            )
        return DayStatus(day=day, working=False, source=entry.source, holiday=entry.name)
