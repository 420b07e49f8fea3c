"""The legal clock (限时办结): the one place where acceptance computes, pauses and explains deadlines.

The counting rules live in ``onematter_workdays`` (《行政许可法》第八十二条, 《民法典》第二百零一条, the
non-working-day acceptance rule, pauses and extensions; see :mod:`onematter_workdays.deadline`):

* the acceptance day is day 0; a limit of N working days (工作日) ends on the N-th working day after it;
* a pause while the applicant owes a supplement (补正) stops the clock for the working days in
  ``(start, end]`` and the due date moves by as many working days; an open pause counts up to today;
* working days left are the working days in ``(today, due]``, and negative (counted the same way) once the
  due date has passed;
* a deadline that crossed a year only the statutory rule describes is **provisional**, and its explanation
  names every calendar source it used (official notice with its document number and version, the
  ``chinese_calendar`` library with its version, or the provisional rule).

Pure: dates in, dates out, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from onematter_workdays import Deadline, DeadlineMove, deadline_move
from onematter_workdays import Pause as _Span

from onematter_acceptance.domain.calendar import WorkCalendar

__all__ = [
    "Deadline",
    "Pause",
    "compute_deadline",
    "count_working_days",
    "due_after",
    "move_deadline",
    "previous_working_day",
    "working_days_left",
]


@dataclass(frozen=True)
class Pause:
    """The clock stopped after ``start`` and ran again on ``end`` (inclusive); open while ``end`` is None.

    ``due``: the day by which the applicant must answer the 补正 request that opened the pause (None for
    pauses recorded before due dates existed).
    """

    start: date
    end: date | None = None
    due: date | None = None

    @property
    def is_open(self) -> bool:
        return self.end is None

    def closed_on(self, day: date) -> Pause:
        """This pause, ended on ``day`` if it was still open."""
        return self if self.end is not None else Pause(self.start, day, self.due)


def count_working_days(calendar: WorkCalendar, start: date, end: date) -> int:
    """Working days in ``(start, end]``; 0 when ``end`` is not after ``start``."""
    return max(calendar.working_days_between(start, end), 0)


def compute_deadline(
    calendar: WorkCalendar,
    *,
    start: date,
    working_days: int,
    pauses: Sequence[Pause] = (),
    today: date | None = None,
) -> Deadline:
    """The due date ``working_days`` after ``start`` under the calendar's rule, moved by every pause.

    An open pause counts up to ``today`` (the clock is still stopped, so the due date keeps moving); without
    ``today`` an open pause counts nothing yet.
    """
    spans = [_Span(p.start, p.end) for p in pauses]
    return calendar.deadline(start=start, working_days=working_days, pauses=spans, today=today)


def due_after(calendar: WorkCalendar, start: date, working_days: int) -> date:
    """The ``working_days``-th working day after ``start`` (a 补正 or rectification due date)."""
    return calendar.add_working_days(start, working_days)


def working_days_left(calendar: WorkCalendar, *, today: date, due: date) -> int:
    """Working days in ``(today, due]``; negative (the working days in ``(due, today]``) once it passed."""
    return calendar.working_days_between(today, due)


def previous_working_day(calendar: WorkCalendar, day: date) -> date:
    """The last working day before ``day``."""
    return calendar.previous_working_day(day)


def move_deadline(
    before: WorkCalendar,
    after: WorkCalendar,
    *,
    start: date,
    working_days: int,
    pauses: Sequence[Pause] = (),
) -> DeadlineMove:
    """The same terms as :func:`compute_deadline` (no ``today``: an open pause counts nothing yet) under the
    calendar before and after a holiday notice was loaded (``onematter_workdays.deadline_move``)."""
    spans = [_Span(p.start, p.end) for p in pauses]
    return deadline_move(before, after, start=start, working_days=working_days, pauses=spans)
