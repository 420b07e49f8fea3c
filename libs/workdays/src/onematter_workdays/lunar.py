"""Lunar dates (农历) and the 清明 solar term, from the maintained ``tyme4py`` library.

Why ``tyme4py`` (PyPI ``tyme4py``, by 6tail, MIT): it is the successor of ``lunar-python`` by the same author
(which now only gets fixes), pure Python with no dependencies, released regularly (1.5.0 in 2026), and
it *computes* new moons and solar terms with the 寿星天文历 astronomical algorithms for any year, where
table-based converters (``lunardate``, ``LunarCalendar``, ``zhdate``) stop at a fixed year and
``chinese_calendar`` only has the years its data covers. ``holidays`` is a many-country framework whose
China entry carries its own copy of the notices' 调休 data — a second, competing "official" source — when
all we need are lunar dates and 清明.

The tests pin its answers to published dates (e.g. 春节 2027-02-06, 清明 2027-04-05), not to itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tyme4py.lunar import LunarDay
from tyme4py.solar import SolarTerm

__all__ = ["lunar_date", "lunar_new_year", "qingming"]


def _as_date(solar_day: Any) -> date:
    return date(int(solar_day.get_year()), int(solar_day.get_month()), int(solar_day.get_day()))


def lunar_date(year: int, month: int, day: int) -> date:
    """The Gregorian date of lunar ``month``/``day`` in the lunar year that begins in Gregorian ``year``."""
    return _as_date(LunarDay.from_ymd(year, month, day).get_solar_day())


def lunar_new_year(year: int) -> date:
    """正月初一 of the lunar year beginning in Gregorian ``year``; 除夕 is the day before."""
    return lunar_date(year, 1, 1)


def qingming(year: int) -> date:
    """The day of the 清明 solar term (the sun at 15° ecliptic longitude, Beijing time) in ``year``."""
    return _as_date(SolarTerm.from_name(year, "清明").get_solar_day())
