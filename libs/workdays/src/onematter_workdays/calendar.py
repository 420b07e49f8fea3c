"""The national working-day calendar (工作日), with the source of every answer.

Which source decides a year, in order (issue 15):

1. the official State Council notice for that year, as loaded by the operator (the highest version wins;
   a notice's 元旦 days in the December before its year also decide those days);
2. the maintained ``chinese_calendar`` package, for the years it has data for;
3. the PROVISIONAL statutory calendar (:mod:`onematter_workdays.provisional`): statutory holidays and
   第六条 补假, no 调休.

A :class:`WorkCalendar` is immutable: :meth:`WorkCalendar.with_notice` returns a new calendar, so the old and
the new one can be compared (:func:`onematter_workdays.moves.deadline_move`). Counting uses whole dates in
China Standard Time (the caller converts instants with ``onematter_clock.china_date``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from onematter_workdays.deadline import Deadline, compute_deadline
from onematter_workdays.errors import NoticeOutdated
from onematter_workdays.library import library_knows, library_year
from onematter_workdays.notice import HolidayNotice
from onematter_workdays.provisional import provisional_year
from onematter_workdays.sources import CalendarSource, DayStatus, YearTable
from onematter_workdays.terms import Extension, NonWorkingDayRule, Pause

__all__ = ["WorkCalendar"]

_DAY = timedelta(days=1)


class WorkCalendar:
    """Working days on the national calendar.

    ``notices``: official notices, at most one per year (a higher version of a year replaces a lower one);
    ``use_library``: consult ``chinese_calendar`` (tests of the statutory rule may turn it off);
    ``rule``: how an application accepted on a non-working day is counted (see :class:`NonWorkingDayRule`).
    """

    def __init__(
        self,
        notices: Iterable[HolidayNotice] = (),
        *,
        use_library: bool = True,
        rule: NonWorkingDayRule = NonWorkingDayRule.DEFAULT,
    ) -> None:
        self._notices: dict[int, HolidayNotice] = {}
        for notice in notices:
            self._notices = _accept(self._notices, notice)
        self.use_library = use_library
        self.rule = rule
        self._tables: dict[int, YearTable] = {}

    # -- notices -------------------------------------------------------------------------------------

    @property
    def notices(self) -> tuple[HolidayNotice, ...]:
        """The loaded notices, by year."""
        return tuple(self._notices[year] for year in sorted(self._notices))

    def notice_for(self, year: int) -> HolidayNotice | None:
        return self._notices.get(year)

    def with_notice(self, notice: HolidayNotice) -> WorkCalendar:
        """A calendar with ``notice`` for its year; ``self`` if that exact notice is already loaded.

        Raises :class:`NoticeOutdated` if a different notice with the same or a higher version is loaded.
        """
        notices = _accept(self._notices, notice)
        if notices is self._notices:
            return self
        return WorkCalendar(notices.values(), use_library=self.use_library, rule=self.rule)

    # -- days ----------------------------------------------------------------------------------------

    def source_for_year(self, year: int) -> CalendarSource:
        """What decides ``year`` (a notice's 元旦 days in December are reported by :meth:`day`)."""
        return self._table(year).source

    def day(self, day: date) -> DayStatus:
        """The status of ``day`` with its source; raises ``YearNotSupported`` for a year nothing covers."""
        return self._table(day.year).status(day)

    def classify(self, day: date) -> tuple[bool, str | None, bool]:
        """``(is_working_day, holiday name or None, not provisional)`` — the shape acceptance used before."""
        status = self.day(day)
        return status.working, status.holiday, not status.source.provisional

    def is_working_day(self, day: date) -> bool:
        return self.day(day).working

    is_workday = is_working_day

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before ``day``."""
        return self.add_working_days(day, -1)

    previous_workday = previous_working_day

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (before it if negative); ``start`` itself for 0.

        ``start`` need not be a working day: 1 from a Saturday is the following working day.
        """
        step, day, left = (_DAY if days > 0 else -_DAY), start, abs(days)
        while left:
            day += step
            left -= self.is_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end] — negative, -(working days in (end, start]), if end < start.

        On the acceptance day (day 0) of an N-working-day limit this is N: the working days left.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += _DAY
            count += self.is_working_day(day)
        return count

    working_days_left = working_days_between

    def sources_between(self, first: date, last: date) -> tuple[CalendarSource, ...]:
        """Every source that decided a day in [first, last], in date order, each once."""
        seen: dict[CalendarSource, None] = {}
        day = first
        while day <= last:
            seen.setdefault(self.day(day).source)
            day += _DAY
        return tuple(seen)

    # -- the legal clock -----------------------------------------------------------------------------

    def deadline(
        self,
        *,
        start: date,
        working_days: int,
        pauses: Sequence[Pause] = (),
        extensions: Sequence[Extension] = (),
        today: date | None = None,
        rule: NonWorkingDayRule | None = None,
    ) -> Deadline:
        """The explained deadline (see :func:`onematter_workdays.deadline.compute_deadline`)."""
        return compute_deadline(
            self,
            start=start,
            working_days=working_days,
            pauses=pauses,
            extensions=extensions,
            today=today,
            rule=rule or self.rule,
        )

    # -- internals -----------------------------------------------------------------------------------

    def _table(self, year: int) -> YearTable:
        table = self._tables.get(year)
        if table is None:
            table = self._tables[year] = self._build(year)
        return table

    def _build(self, year: int) -> YearTable:
        notice = self._notices.get(year)
        if notice is not None:
            base = YearTable(year=year, source=notice.source, entries=notice.entries())
        elif self.use_library and library_knows(year):
            base = library_year(year)
        else:
            base = provisional_year(year)
        entries = {d: e for d, e in base.entries.items() if d.year == year}
        following = self._notices.get(year + 1)
        if following is not None:  # 元旦 days of next year's notice that fall in this December
            entries.update({d: e for d, e in following.entries().items() if d.year == year})
        return YearTable(year=year, source=base.source, entries=entries)


def _accept(notices: dict[int, HolidayNotice], notice: HolidayNotice) -> dict[int, HolidayNotice]:
    loaded = notices.get(notice.year)
    if loaded == notice:
        return notices
    if loaded is not None and loaded.version >= notice.version:
        raise NoticeOutdated(year=notice.year, loaded_version=loaded.version, offered_version=notice.version)
    return {**notices, notice.year: notice}
