"""The legal clock (限时办结): deadlines in working days (工作日) on the national calendar with 调休.

Where a date's status comes from, in order:

1. the operator calendar file (``WORK_CALENDAR_FILE``: holidays and adjusted working days for years the
   State Council published after the library was released — it wins, so an operator can correct a year);
2. the maintained ``chinese_calendar`` library (it raises ``NotImplementedError`` for years it lacks);
3. neither knows the year: weekends only, and every deadline that touched such a date is **provisional**
   (never silently pretended); provisional deadlines are recomputed when the calendar is updated.

Counting: the acceptance day itself is day 0; a limit of N working days ends on the N-th working day
after it. A pause (waiting for a 补正 supplement) of P working days moves the deadline by P working days.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import chinese_calendar

__all__ = [
    "Deadline",
    "OperatorCalendar",
    "Pause",
    "WorkCalendar",
    "load_operator_calendar",
    "pauses_from_json",
]


@dataclass(frozen=True)
class OperatorCalendar:
    """Holidays and adjusted working days (调休) an operator supplies, per year it covers."""

    years: frozenset[int] = frozenset()
    holidays: Mapping[date, str] = field(default_factory=dict)
    workdays: frozenset[date] = frozenset()


def load_operator_calendar(path: str | Path | None) -> OperatorCalendar:
    """Read ``{"years": [2027], "holidays": {"2027-01-01": "元旦"}, "workdays": ["2027-02-07"]}``.

    YAML is accepted too (``.yaml``/``.yml``). ``years`` lists the years the file fully describes; a year
    missing from it stays provisional even if a date of it is listed.
    """
    if not path:
        return OperatorCalendar()
    text = Path(path).read_text(encoding="utf-8")
    if str(path).endswith((".yaml", ".yml")):
        import yaml

        raw: dict[str, Any] = yaml.safe_load(text) or {}
    else:
        raw = json.loads(text)
    holidays = raw.get("holidays", {})
    if isinstance(holidays, list):  # a bare list of dates, without names
        holidays = {d: "holiday" for d in holidays}
    return OperatorCalendar(
        years=frozenset(int(y) for y in raw.get("years", [])),
        holidays={date.fromisoformat(str(d)): str(name) for d, name in holidays.items()},
        workdays=frozenset(date.fromisoformat(str(d)) for d in raw.get("workdays", [])),
    )


@dataclass(frozen=True)
class Pause:
    """The clock stopped after ``start`` and ran again on ``end`` (inclusive); open while ``end`` is None."""

    start: date
    end: date | None = None


@dataclass(frozen=True)
class Deadline:
    """A deadline that explains itself."""

    start: date
    working_days: int
    due: date
    provisional: bool
    holidays_skipped: tuple[tuple[date, str], ...]
    adjusted_workdays: tuple[date, ...]
    pauses: tuple[tuple[date, date | None, int], ...]

    def explain(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "working_days": self.working_days,
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "holidays_skipped": [{"date": d.isoformat(), "name": n} for d, n in self.holidays_skipped],
            "adjusted_workdays": [d.isoformat() for d in self.adjusted_workdays],
            "pauses": [
                {"from": s.isoformat(), "to": e.isoformat() if e else None, "working_days": n}
                for s, e, n in self.pauses
            ],
        }


class WorkCalendar:
    def __init__(self, operator: OperatorCalendar | None = None) -> None:
        self.operator = operator or OperatorCalendar()

    def classify(self, day: date) -> tuple[bool, str | None, bool]:
        """``(is_workday, holiday name or None, known)``; ``known`` is False in the weekends-only fallback."""
        if day.year in self.operator.years:
            if day in self.operator.workdays:
                return True, None, True
            if day in self.operator.holidays:
                return False, self.operator.holidays[day], True
            return day.weekday() < 5, None, True
        try:
            workday = chinese_calendar.is_workday(day)
            _, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return day.weekday() < 5, None, False
        return workday, (name if not workday and name else None), True

    def is_workday(self, day: date) -> bool:
        return self.classify(day)[0]

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.classify(day)[0]
        return count

    def add_working_days(self, start: date, days: int) -> date:
        return self.deadline(start=start, working_days=days).due

    def previous_workday(self, day: date) -> date:
        day -= timedelta(days=1)
        while not self.is_workday(day):
            day -= timedelta(days=1)
        return day

    def deadline(
        self, *, start: date, working_days: int, pauses: Sequence[Pause] = (), today: date | None = None
    ) -> Deadline:
        """The due date of ``working_days`` from ``start``, extended by every pause's working days.

        An open pause counts up to ``today`` (the clock is still stopped, so the due date keeps moving).
        """
        pause_rows = [
            (p.start, p.end, self.working_days_between(p.start, p.end or today or p.start)) for p in pauses
        ]
        total = working_days + sum(n for _, _, n in pause_rows)
        holidays, adjusted, provisional = [], [], False
        day, counted = start, 0
        while counted < total:
            day += timedelta(days=1)
            workday, name, known = self.classify(day)
            provisional |= not known
            if workday:
                counted += 1
                if day.weekday() >= 5:
                    adjusted.append(day)
            elif name:
                holidays.append((day, name))
        return Deadline(
            start=start,
            working_days=working_days,
            due=day,
            provisional=provisional,
            holidays_skipped=tuple(holidays),
            adjusted_workdays=tuple(adjusted),
            pauses=tuple(pause_rows),
        )


def pauses_from_json(rows: Iterable[Mapping[str, Any]]) -> list[Pause]:
    return [
        Pause(date.fromisoformat(r["from"]), date.fromisoformat(r["to"]) if r.get("to") else None)
        for r in rows
    ]
