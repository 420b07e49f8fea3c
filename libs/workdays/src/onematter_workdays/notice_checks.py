"""The rules a holiday notice must meet before it may decide anyone's deadline.

Each check returns the problems it finds as sentences (every problem, not the first), in notice order:

* the header: issued no later than the year it arranges; the document number's 〔year〕 is the issue year;
* names: every period is named by statutory festivals (元旦 春节 清明节 劳动节 端午节 中秋节 国庆节;
  a combined period joined by 、 as in 2025's 国庆节、中秋节), no festival twice, every 调休 day names
  one of the periods;
* dates: first ≤ last; every date in the notice's year — except 元旦 days and their 调休 days in the
  December before it (国办发明电〔2018〕15号, issued 2018-12-04, gave 2018-12-30..2019-01-01 off for 2019's
  元旦 and made Saturday 2018-12-29 a working day); periods do not overlap; a 调休 working day is a
  Saturday or Sunday, is not also a holiday, and is listed once;
* the statute: each festival of 《全国年节及纪念日放假办法》 in force that year appears, and its period
  contains every statutory day (e.g. from 2025 the 春节 period contains 除夕 and 正月初一 to 初三) — a
  typo guard that compares the notice with astronomy (:mod:`onematter_workdays.lunar`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from onematter_workdays.festivals import Festival, festival_names, rule_for_year

if TYPE_CHECKING:
    from onematter_workdays.notice import HolidayNotice, HolidayPeriod

__all__ = ["notice_problems"]

_DOCUMENT_YEAR = re.compile(r"[〔\[(（](\d{4})[〕\])）]")
_ARTICLE_2 = "《全国年节及纪念日放假办法》第二条"
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def notice_problems(notice: HolidayNotice) -> list[str]:
    """Every problem of ``notice``, or an empty list."""
    return [
        *_header_problems(notice),
        *_name_problems(notice),
        *_period_problems(notice),
        *_adjusted_problems(notice),
        *_statutory_problems(notice),
    ]


def _header_problems(notice: HolidayNotice) -> list[str]:
    problems = []
    if notice.issued_on > date(notice.year, 12, 31):
        problems.append(f"issued_on {notice.issued_on} is after the year {notice.year} the notice arranges")
    found = _DOCUMENT_YEAR.search(notice.document_number)
    if found is None:
        problems.append(
            f"document_number {notice.document_number!r} has no 〔year〕 (e.g. 国办发明电〔2024〕12号)"
        )
    elif int(found.group(1)) != notice.issued_on.year:
        problems.append(
            f"document_number {notice.document_number} is of {found.group(1)},"
            f" but issued_on is {notice.issued_on}"
        )
    return problems


def _name_problems(notice: HolidayNotice) -> list[str]:
    problems, seen = [], set[Festival]()
    if not notice.holidays:
        problems.append("holidays: a notice gives at least one holiday period")
    for i, period in enumerate(notice.holidays):
        festivals = festival_names(period.name)
        if festivals is None:
            known = "、".join(f.value for f in Festival)
            problems.append(f"holidays[{i}]: unknown holiday name {period.name!r} (known: {known})")
            continue
        for festival in sorted(seen.intersection(festivals)):
            problems.append(f"holidays[{i}]: {festival} is already in an earlier period")
        seen.update(festivals)
    names = {p.name for p in notice.holidays}
    for i, adjusted in enumerate(notice.adjusted_workdays):
        if adjusted.holiday not in names:
            problems.append(
                f"adjusted_workdays[{i}] {adjusted.date}: belongs to {adjusted.holiday!r},"
                f" which is not a holiday period of this notice"
            )
    return problems


def _in_scope(notice: HolidayNotice, day: date, name: str) -> bool:
    """In the notice's year, or a 元旦 day in the December before it."""
    if day.year == notice.year:
        return True
    return day.year == notice.year - 1 and day.month == 12 and name == Festival.new_year.value


def _period_problems(notice: HolidayNotice) -> list[str]:
    problems = []
    for i, period in enumerate(notice.holidays):
        if period.first > period.last:
            problems.append(f"holidays[{i}] {period.name}: first {period.first} is after last {period.last}")
        for day in (period.first, period.last):
            if not _in_scope(notice, day, period.name):
                problems.append(
                    f"holidays[{i}] {period.name}: {day} is outside the notice's year {notice.year}"
                )
    for i, a in enumerate(notice.holidays):
        for j, b in enumerate(notice.holidays[i + 1 :], start=i + 1):
            if a.first <= b.last and b.first <= a.last:
                overlap = max(a.first, b.first)
                problems.append(f"holidays[{i}] {a.name} and holidays[{j}] {b.name} overlap from {overlap}")
    return problems


def _adjusted_problems(notice: HolidayNotice) -> list[str]:
    problems, seen = [], set[date]()
    off = {d: p.name for p in notice.holidays for d in p.days()}
    for i, adjusted in enumerate(notice.adjusted_workdays):
        day, where = adjusted.date, f"adjusted_workdays[{i}] {adjusted.date}"
        if not _in_scope(notice, day, adjusted.holiday):
            problems.append(f"{where}: outside the notice's year {notice.year}")
        if day.weekday() < 5:
            problems.append(
                f"{where}: a {_WEEKDAYS[day.weekday()]} — a 调休 working day must be a Saturday or Sunday"
            )
        if day in off:
            problems.append(f"{where}: is also a holiday ({off[day]})")
        if day in seen:
            problems.append(f"{where}: listed twice")
        seen.add(day)
    return problems


def _statutory_problems(notice: HolidayNotice) -> list[str]:
    rule = rule_for_year(notice.year)
    if rule is None:
        return []
    problems = []
    for festival, days in rule.festival_days(notice.year).items():
        periods = [p for p in notice.holidays if festival in (festival_names(p.name) or ())]
        if not periods:
            problems.append(f"no holiday period for {festival}, a holiday under {_ARTICLE_2}")
            continue
        problems.extend(
            f"the {festival} period does not contain {day}, a day of {festival} under {_ARTICLE_2}"
            for day in days
            if not any(_contains(p, day) for p in periods)
        )
    return problems


def _contains(period: HolidayPeriod, day: date) -> bool:
    return period.first <= day <= period.last
