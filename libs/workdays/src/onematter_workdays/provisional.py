"""A PROVISIONAL calendar for a year no notice and no library covers: the statutory holidays only.

Rule: 《全国年节及纪念日放假办法》 as revised 2024-11-10 (国务院令第795号, in force 2025-01-01):

* 第二条 — 元旦 1 day (1 Jan), 春节 4 (除夕 to 正月初三), 清明节 1 (the 清明 solar-term day),
  劳动节 2 (1–2 May), 端午节 1 (五月初五), 中秋节 1 (八月十五), 国庆节 3 (1–3 Oct); lunar dates from
  :mod:`onematter_workdays.lunar`;
* 第六条 — 全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假: each statutory day on a weekend is
  compensated (补假) here on the next working day after it (the statute says "a working day"; the next one
  is the customary reading and the one that moves deadlines least surprisingly);
* NO 调休: the State Council's 调休 working weekends cannot be derived from the statute, so none is guessed.

Days where two festivals coincide (中秋节 on 1–3 October, as in 2028) are one holiday: the statute grants no
extra day for it. The calendar stays provisional until the notice is loaded; every deadline says so.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from onematter_workdays.errors import YearNotSupported
from onematter_workdays.festivals import NAME_SEPARATOR, RULE_2025, Festival
from onematter_workdays.sources import CalendarSource, DayEntry, SourceKind, YearTable

__all__ = ["COMPENSATORY_SUFFIX", "PROVISIONAL_YEARS", "provisional_year"]

#: The rule implemented is the one in force from 2025; the lunar algorithms are trusted up to 2199.
PROVISIONAL_YEARS = range(2025, 2200)
#: Appended to a festival's name for its 补假 day: "劳动节（补假）".
COMPENSATORY_SUFFIX = "（补假）"


@cache
def provisional_year(year: int) -> YearTable:
    """The statutory holidays of ``year`` with 第六条 补假 days; raises :class:`YearNotSupported` outside
    :data:`PROVISIONAL_YEARS`."""
    if year not in PROVISIONAL_YEARS:
        raise YearNotSupported(
            f"no calendar for {year}: the statutory rule implemented is in force from 2025, and the year"
            " has no loaded notice and no chinese_calendar data"
        )
    source = CalendarSource(kind=SourceKind.provisional_statutory, year=year, reference=RULE_2025.citation)
    named = _statutory_names(year)
    entries = {day: DayEntry(working=False, name=name, source=source) for day, name in named.items()}
    for day, name in sorted(named.items()):
        if day.weekday() >= 5:
            substitute = _next_free_weekday(day, entries)
            entries[substitute] = DayEntry(working=False, name=name + COMPENSATORY_SUFFIX, source=source)
    return YearTable(year=year, source=source, entries=entries)


def _statutory_names(year: int) -> dict[date, str]:
    festivals: dict[date, list[Festival]] = {}
    for festival, days in RULE_2025.festival_days(year).items():
        for day in days:
            festivals.setdefault(day, []).append(festival)
    return {
        day: NAME_SEPARATOR.join(f.value for f in sorted(fs, key=_ORDER.index))
        for day, fs in festivals.items()
    }


_ORDER = list(Festival)


def _next_free_weekday(day: date, taken: dict[date, DayEntry]) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5 or day in taken:
        day += timedelta(days=1)
    return day
