"""The statutory festivals (法定节假日) and the rule that says which days they are.

Source: 《全国年节及纪念日放假办法》, 第二条 (the festivals of all citizens) and 第六条
(全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假). Two revisions matter here:

* revised 2013-12-11, in force 2014-01-01 to 2024-12-31: 春节 3 days (正月初一至初三), 劳动节 1 day (5月1日);
* revised 2024-11-10 by 《国务院关于修改〈全国年节及纪念日放假办法〉的决定》(国务院令第795号), in force
  2025-01-01: 元旦 1 day (1月1日), 春节 4 days (农历除夕、正月初一至初三), 清明节 1 (农历清明当日), 劳动节 2
  (5月1日、2日), 端午节 1 (农历端午当日), 中秋节 1 (农历中秋当日), 国庆节 3 (10月1日至3日) — 13 days.

Years before 2014 have no rule here: notices for them are loaded without the statutory cross-check, and no
provisional calendar is made for them (chinese_calendar covers 2004 onwards anyway).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from onematter_workdays import lunar

__all__ = [
    "RULE_2014",
    "RULE_2025",
    "Festival",
    "StatutoryRule",
    "festival_names",
    "rule_for_year",
]


class Festival(StrEnum):
    """A festival of all citizens (全体公民放假的节日), valued by its name in the notices."""

    new_year = "元旦"
    spring_festival = "春节"
    qingming = "清明节"
    labour_day = "劳动节"
    dragon_boat = "端午节"
    mid_autumn = "中秋节"
    national_day = "国庆节"

    @property
    def english(self) -> str:
        return _ENGLISH[self]


_ENGLISH = {
    Festival.new_year: "New Year's Day",
    Festival.spring_festival: "Spring Festival",
    Festival.qingming: "Qingming Festival",
    Festival.labour_day: "Labour Day",
    Festival.dragon_boat: "Dragon Boat Festival",
    Festival.mid_autumn: "Mid-Autumn Festival",
    Festival.national_day: "National Day",
}

#: The separator of a combined period's name, as the notices write it (2025: "国庆节、中秋节").
NAME_SEPARATOR = "、"


def festival_names(name: str) -> tuple[Festival, ...] | None:
    """The festivals a period name stands for ("国庆节、中秋节" → both); None if any part is unknown."""
    parts = name.split(NAME_SEPARATOR)
    known = {f.value: f for f in Festival}
    if not all(part in known for part in parts):
        return None
    return tuple(known[part] for part in parts)


FestivalDays = Callable[[int], tuple[date, ...]]


@dataclass(frozen=True)
class StatutoryRule:
    """One revision of 第二条: for each festival, the days it gives in a year; ``citation`` names it."""

    citation: str
    in_force_from: date
    days: Mapping[Festival, FestivalDays]

    def festival_days(self, year: int) -> dict[Festival, tuple[date, ...]]:
        """Every statutory holiday of ``year`` per festival (weekends included; 补假 is not applied here)."""
        return {festival: self.days[festival](year) for festival in Festival if festival in self.days}


def _fixed(month: int, day: int, count: int = 1) -> FestivalDays:
    return lambda year: tuple(date(year, month, day) + timedelta(days=i) for i in range(count))


def _spring(with_eve: bool) -> FestivalDays:
    def days(year: int) -> tuple[date, ...]:
        new_year = lunar.lunar_new_year(year)
        first = new_year - timedelta(days=1) if with_eve else new_year
        return tuple(first + timedelta(days=i) for i in range((new_year - first).days + 3))

    return days


_LUNAR: dict[Festival, FestivalDays] = {
    Festival.qingming: lambda year: (lunar.qingming(year),),
    Festival.dragon_boat: lambda year: (lunar.lunar_date(year, 5, 5),),
    Festival.mid_autumn: lambda year: (lunar.lunar_date(year, 8, 15),),
}

RULE_2014 = StatutoryRule(
    citation="《全国年节及纪念日放假办法》(2013年12月11日修订) 第二条、第六条",
    in_force_from=date(2014, 1, 1),
    days={
        Festival.new_year: _fixed(1, 1),
        Festival.spring_festival: _spring(with_eve=False),
        Festival.labour_day: _fixed(5, 1),
        Festival.national_day: _fixed(10, 1, 3),
        **_LUNAR,
    },
)

RULE_2025 = StatutoryRule(
    citation="《全国年节及纪念日放假办法》(2024年11月10日修订，国务院令第795号) 第二条、第六条",
    in_force_from=date(2025, 1, 1),
    days={
        Festival.new_year: _fixed(1, 1),
        Festival.spring_festival: _spring(with_eve=True),
        Festival.labour_day: _fixed(5, 1, 2),
        Festival.national_day: _fixed(10, 1, 3),
        **_LUNAR,
    },
)


def rule_for_year(year: int) -> StatutoryRule | None:
    """The revision in force on 1 January of ``year``; None before 2014 (no rule implemented)."""
    for rule in (RULE_2025, RULE_2014):
        if date(year, 1, 1) >= rule.in_force_from:
            return rule
    return None
