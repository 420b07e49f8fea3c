"""The legal clock (限时办结): the one place where deadlines are computed, paused and explained.

Counting rules of the platform (the architecture brief, "The legal clock"):

* the acceptance day is day 0; a limit of N working days (工作日) ends on the N-th working day after it;
* a pause while the applicant owes a supplement (补正) stops the clock for the working days in
  ``(start, end]`` and the due date moves by as many working days; an open pause counts up to today;
* working days left are the working days in ``(today, due]``, and negative (counted the same way) once the
  due date has passed;
* what kind of day a date is comes through one seam, ``domain.calendar.WorkCalendar``
  (the national calendar with its 调休). A deadline that crossed a day the calendar only guesses (weekends
  only, no official notice yet) is **provisional**, and says so in its explanation.

Pure: dates in, dates out, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

__all__ = [
    "DayKinds",
    "Deadline",
    "Pause",
    "compute_deadline",
    "count_working_days",
    "due_after",
    "previous_working_day",
    "working_days_left",
]


class DayKinds(Protocol):
    """What the legal clock asks the calendar: ``(is_workday, holiday name or None, known)`` of a date."""

    def classify(self, day: date) -> tuple[bool, str | None, bool]: ...


@dataclass(frozen=True)
class Pause:
    """The clock stopped after ``start`` and ran again on ``end`` (inclusive); open while ``end`` is None."""

    start: date
    end: date | None = None

    @property
    def is_open(self) -> bool:
        return self.end is None

    def closed_on(self, day: date) -> Pause:
        """This pause, ended on ``day`` if it was still open."""
        return self if self.end is not None else Pause(self.start, day)


@dataclass(frozen=True)
class Deadline:
    """A due date that explains itself: the holidays it skipped, the 调休 working weekends it counted, the
    pauses that moved it (``(from, to or None, working days)``) and whether any day of it is provisional."""

    start: date
    working_days: int
    due: date
    provisional: bool
    holidays_skipped: tuple[tuple[date, str], ...]
    adjusted_workdays: tuple[date, ...]
    pauses: tuple[tuple[date, date | None, int], ...]

    def explain(self) -> dict[str, Any]:
        """The explanation as JSON-ready values (ISO dates)."""
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


def count_working_days(calendar: DayKinds, start: date, end: date) -> int:
    """Working days in ``(start, end]``; 0 when ``end`` is not after ``start``."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += calendar.classify(day)[0]
    return count


def compute_deadline(
    calendar: DayKinds,
    *,
    start: date,
    working_days: int,
    pauses: Sequence[Pause] = (),
    today: date | None = None,
) -> Deadline:
    """The due date ``working_days`` after ``start``, moved by every pause's working days.

    An open pause counts up to ``today`` (the clock is still stopped, so the due date keeps moving); without
    ``today`` an open pause counts nothing yet.
    """
    pause_rows = tuple(
        (p.start, p.end, count_working_days(calendar, p.start, p.end or today or p.start)) for p in pauses
    )
    due, provisional, holidays, adjusted = _walk(
        calendar, start, working_days + sum(n for *_, n in pause_rows)
    )
    return Deadline(
        start=start,
        working_days=working_days,
        due=due,
        provisional=provisional,
        holidays_skipped=tuple(holidays),
        adjusted_workdays=tuple(adjusted),
        pauses=pause_rows,
    )


def _walk(
    calendar: DayKinds, start: date, total: int
) -> tuple[date, bool, list[tuple[date, str]], list[date]]:
    """Day by day from ``start`` until ``total`` working days were counted, noting what was crossed."""
    holidays: list[tuple[date, str]] = []
    adjusted: list[date] = []
    provisional, day, counted = False, start, 0
    while counted < total:
        day += timedelta(days=1)
        workday, name, known = calendar.classify(day)
        provisional |= not known
        if workday:
            counted += 1
            if day.weekday() >= 5:  # a working Saturday or Sunday: 调休
                adjusted.append(day)
        elif name:
            holidays.append((day, name))
    return day, provisional, holidays, adjusted


def due_after(calendar: DayKinds, start: date, working_days: int) -> date:
    """The ``working_days``-th working day after ``start`` (a 补正 or rectification due date)."""
    return compute_deadline(calendar, start=start, working_days=working_days).due


def working_days_left(calendar: DayKinds, *, today: date, due: date) -> int:
    """Working days in ``(today, due]``; negative (the working days in ``(due, today]``) once it passed."""
    if due >= today:
        return count_working_days(calendar, today, due)
    return -count_working_days(calendar, due, today)


def previous_working_day(calendar: DayKinds, day: date) -> date:
    """The last working day before ``day``."""
    day -= timedelta(days=1)
    while not calendar.classify(day)[0]:
        day -= timedelta(days=1)
    return day
