"""The legal clock (限时办结) in one place: a deadline in working days that explains itself.

Counting (the rule acceptance has used, now written down):

* Limits are in working days (工作日), statutory holidays excluded — 《行政许可法》第八十二条
  (本法规定的行政机关实施行政许可的期限以工作日计算，不含法定节假日). 调休 working weekends count.
* The acceptance day is day 0 and is not counted — 《民法典》第二百零一条 (按照年、月、日计算期间的，
  开始的当日不计入，自下一日开始计算). A limit of N working days ends on the N-th working day after day 0.
* Accepted on a NON-working day: see :class:`NonWorkingDayRule` (configurable, shown in every explanation).
* A pause (补正: waiting for the applicant's supplement) from ``start`` to ``end``: the working days in
  (start, end] do not count — the day the supplement was requested still counts, the day it arrived does
  not (it is day 0 of the resumed clock, as above) — so the deadline moves by exactly those working days.
  An open pause counts up to ``today``, so the due date keeps moving while the clock is stopped.
* An extension (延期, e.g. 《行政许可法》第四十二条: 经本行政机关负责人批准，可以延长十日) adds working days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from onematter_workdays.sources import CalendarSource
from onematter_workdays.terms import COUNTING_RULE, Extension, NonWorkingDayRule, Pause

if TYPE_CHECKING:
    from onematter_workdays.calendar import WorkCalendar

__all__ = ["Deadline", "PauseSpan", "SkippedHoliday", "compute_deadline"]


class SkippedHoliday(NamedTuple):
    date: date
    name: str


class PauseSpan(NamedTuple):
    start: date
    end: date | None
    working_days: int


@dataclass(frozen=True)
class Deadline:
    """A due date with everything that made it; ``start`` is the acceptance day as given."""

    start: date
    working_days: int
    due: date
    provisional: bool
    holidays_skipped: tuple[SkippedHoliday, ...]
    adjusted_workdays: tuple[date, ...]
    pauses: tuple[PauseSpan, ...]
    clock_start: date
    rule: NonWorkingDayRule
    accepted_on_working_day: bool
    extensions: tuple[Extension, ...] = ()
    sources: tuple[CalendarSource, ...] = ()

    @property
    def paused_working_days(self) -> int:
        return sum(span.working_days for span in self.pauses)

    @property
    def total_working_days(self) -> int:
        """The limit plus extensions plus paused working days: how far after day 0 the due date is."""
        return self.working_days + sum(e.working_days for e in self.extensions) + self.paused_working_days

    def touches(self, year: int) -> bool:
        """Could the notice for ``year`` move this deadline? (It decides ``year`` and the December before.)"""
        return self.start <= date(year, 12, 31) and self.due >= date(year - 1, 12, 1)

    def explain(self) -> dict[str, Any]:
        """A JSON-ready explanation: rule, holidays skipped (with names), pauses, extensions, sources."""
        return {
            "start": self.start.isoformat(),
            "clock_start": self.clock_start.isoformat(),
            "working_days": self.working_days,
            "extensions": [
                {"working_days": e.working_days, "granted_on": e.granted_on.isoformat(), "reason": e.reason}
                for e in self.extensions
            ],
            "paused_working_days": self.paused_working_days,
            "total_working_days": self.total_working_days,
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "counting": COUNTING_RULE,
            "non_working_day_acceptance": {
                "rule": self.rule.value,
                "applied": not self.accepted_on_working_day,
                "description": self.rule.description,
            },
            "holidays_skipped": [{"date": d.isoformat(), "name": n} for d, n in self.holidays_skipped],
            "adjusted_workdays": [d.isoformat() for d in self.adjusted_workdays],
            "pauses": [
                {"from": s.isoformat(), "to": e.isoformat() if e else None, "working_days": n}
                for s, e, n in self.pauses
            ],
            "calendar": [source.as_dict() for source in self.sources],
        }


def compute_deadline(
    calendar: WorkCalendar,
    *,
    start: date,
    working_days: int,
    pauses: Sequence[Pause] = (),
    extensions: Sequence[Extension] = (),
    today: date | None = None,
    rule: NonWorkingDayRule = NonWorkingDayRule.DEFAULT,
) -> Deadline:
    """The due date of ``working_days`` from ``start`` under ``rule``, moved by pauses and extensions."""
    if working_days < 0:
        raise ValueError("a time limit cannot be negative")
    on_working_day = calendar.is_working_day(start)
    deemed = not on_working_day and rule is NonWorkingDayRule.deemed_next_working_day
    clock_start = calendar.next_working_day(start) if deemed else start
    spans = tuple(_span(calendar, pause, today) for pause in pauses)
    extra = sum(e.working_days for e in extensions) + sum(s.working_days for s in spans)
    due = calendar.add_working_days(clock_start, working_days + extra)
    holidays, adjusted = _survey(calendar, start, due)
    sources = calendar.sources_between(start, due)
    return Deadline(
        start=start,
        working_days=working_days,
        due=due,
        provisional=any(source.provisional for source in sources),
        holidays_skipped=holidays,
        adjusted_workdays=adjusted,
        pauses=spans,
        clock_start=clock_start,
        rule=rule,
        accepted_on_working_day=on_working_day,
        extensions=tuple(extensions),
        sources=sources,
    )


def _span(calendar: WorkCalendar, pause: Pause, today: date | None) -> PauseSpan:
    end = pause.end or max(today or pause.start, pause.start)
    return PauseSpan(pause.start, pause.end, calendar.working_days_between(pause.start, end))


def _survey(
    calendar: WorkCalendar, start: date, due: date
) -> tuple[tuple[SkippedHoliday, ...], tuple[date, ...]]:
    """The named holidays and the 调休 working weekends in (start, due]."""
    holidays, adjusted, day = [], [], start
    while day < due:
        day += timedelta(days=1)
        status = calendar.day(day)
        if status.holiday is not None:
            holidays.append(SkippedHoliday(day, status.holiday))
        elif status.adjusted:
            adjusted.append(day)
    return tuple(holidays), tuple(adjusted)
