"""Lunar dates and 清明 from tyme4py, pinned to published dates.

2024–2026: the notices themselves (端午 2024-06-10, 中秋 2025-10-06 ...); 2027–2028: the published
Chinese calendar (春节 2027-02-06, 2028-01-26; 中秋 2028-10-03 falls inside 国庆).
"""

from datetime import date

import pytest
from onematter_workdays.lunar import lunar_date, lunar_new_year, qingming


@pytest.mark.parametrize(
    ("year", "spring", "qing", "dragon", "moon"),
    [
        (2024, date(2024, 2, 10), date(2024, 4, 4), date(2024, 6, 10), date(2024, 9, 17)),
        (2025, date(2025, 1, 29), date(2025, 4, 4), date(2025, 5, 31), date(2025, 10, 6)),
        (2026, date(2026, 2, 17), date(2026, 4, 5), date(2026, 6, 19), date(2026, 9, 25)),
        (2027, date(2027, 2, 6), date(2027, 4, 5), date(2027, 6, 9), date(2027, 9, 15)),
        (2028, date(2028, 1, 26), date(2028, 4, 4), date(2028, 5, 28), date(2028, 10, 3)),
    ],
)
def test_festival_dates_match_the_published_calendar(year, spring, qing, dragon, moon):
    assert lunar_new_year(year) == spring
    assert qingming(year) == qing
    assert lunar_date(year, 5, 5) == dragon
    assert lunar_date(year, 8, 15) == moon
