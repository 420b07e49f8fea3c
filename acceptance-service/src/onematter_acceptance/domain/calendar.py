"""The calendar seam: what kind of day a date is on the national calendar (工作日, holidays, 调休).

Every use of the calendar in acceptance goes through one :class:`WorkCalendar` instance, built by the
composition root and passed to the domain as a plain value; the legal clock
(:mod:`onematter_acceptance.domain.clock`) asks it only :meth:`WorkCalendar.classify`. A new calendar
library can therefore be swapped in behind this class without touching a rule.

Where a date's status comes from, in order:

1. the operator calendar (``WORK_CALENDAR_FILE``, read by ``adapters.calendar_file``): holidays and adjusted
   working days for years the State Council published after the library was released — it wins, so an
   operator can correct a year;
2. the maintained ``chinese_calendar`` library (it raises ``NotImplementedError`` for years it lacks);
3. neither knows the year: weekends only, and every deadline that touched such a date is **provisional**.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import chinese_calendar

from onematter_acceptance.domain import clock
from onematter_acceptance.domain.clock import Deadline, Pause

__all__ = ["OperatorCalendar", "WorkCalendar"]


@dataclass(frozen=True)
class OperatorCalendar:
    """Holidays and adjusted working days (调休) an operator supplies, per year it fully describes."""

    years: frozenset[int] = frozenset()
    holidays: Mapping[date, str] = field(default_factory=dict)
    workdays: frozenset[date] = frozenset()


class WorkCalendar:
    """The national calendar, corrected by the operator's; counting is the legal clock's."""

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
            workday = bool(chinese_calendar.is_workday(day))
            _, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return day.weekday() < 5, None, False
        return workday, (str(name) if not workday and name else None), True

    def is_workday(self, day: date) -> bool:
        return self.classify(day)[0]

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in ``(start, end]``."""
        return clock.count_working_days(self, start, end)

    def add_working_days(self, start: date, days: int) -> date:
        return clock.due_after(self, start, days)

    def previous_workday(self, day: date) -> date:
        return clock.previous_working_day(self, day)

    def deadline(
        self, *, start: date, working_days: int, pauses: Sequence[Pause] = (), today: date | None = None
    ) -> Deadline:
        """See :func:`onematter_acceptance.domain.clock.compute_deadline`."""
        return clock.compute_deadline(
            self, start=start, working_days=working_days, pauses=pauses, today=today
        )
