"""The years the maintained ``chinese_calendar`` package knows (PyPI ``chinesecalendar``).

Its data is typed from the same State Council notices, and it raises ``NotImplementedError`` for a year it
has no data for; such years fall through to the provisional statutory calendar. Its holiday names are
English (``"Spring Festival"``); they are shown here by the notices' Chinese names.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import chinese_calendar
from chinese_calendar.constants import holidays as _HOLIDAYS
from chinese_calendar.constants import workdays as _WORKDAYS

from onematter_workdays.festivals import Festival
from onematter_workdays.sources import CalendarSource, DayEntry, SourceKind, YearTable

__all__ = ["library_knows", "library_version", "library_year"]

_NAMES = {festival.english: festival.value for festival in Festival} | {
    "Tomb-sweeping Day": Festival.qingming.value,
    "Mid-autumn Festival": Festival.mid_autumn.value,
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def library_version() -> str:
    return str(getattr(chinese_calendar, "__version__", "unknown"))


def library_knows(year: int) -> bool:
    """True if ``chinese_calendar`` has the notice data for ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@cache
def library_year(year: int) -> YearTable:
    """``year`` from ``chinese_calendar``; call only when :func:`library_knows` says so."""
    source = CalendarSource(
        kind=SourceKind.chinese_calendar, year=year, reference="chinese_calendar", version=library_version()
    )
    entries = {
        day: DayEntry(working=False, name=_NAMES.get(name, name), source=source)
        for day, name in _HOLIDAYS.items()
        if day.year == year
    }
    entries.update(
        {
            day: DayEntry(working=True, name=_NAMES.get(name, name), source=source)
            for day, name in _WORKDAYS.items()
            if day.year == year
        }
    )
    return YearTable(year=year, source=source, entries=entries)
