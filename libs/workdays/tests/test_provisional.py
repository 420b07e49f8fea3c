"""The provisional calendar from 《全国年节及纪念日放假办法》 (2024 revision) for years nobody published yet.

2027 by hand: 元旦 Fri 01-01; 春节 除夕 Fri 02-05, 初一 Sat 02-06, 初二 Sun 02-07, 初三 Mon 02-08 → the two
weekend days are made up (第六条 补假) on Tue 02-09 and Wed 02-10; 清明 Mon 04-05; 劳动节 Sat 05-01 and
Sun 05-02 → 补假 Mon 05-03, Tue 05-04; 端午 Wed 06-09; 中秋 Wed 09-15; 国庆 Fri 10-01, Sat 10-02, Sun 10-03
→ 补假 Mon 10-04, Tue 10-05. No 调休: no Saturday or Sunday is a working day.
"""

from datetime import date, timedelta

import pytest
from onematter_workdays import PROVISIONAL_YEARS, SourceKind, WorkCalendar, YearNotSupported, provisional_year

HOLIDAYS_2027 = {
    date(2027, 1, 1): "元旦",
    date(2027, 2, 5): "春节",
    date(2027, 2, 6): "春节",
    date(2027, 2, 7): "春节",
    date(2027, 2, 8): "春节",
    date(2027, 2, 9): "春节（补假）",
    date(2027, 2, 10): "春节（补假）",
    date(2027, 4, 5): "清明节",
    date(2027, 5, 1): "劳动节",
    date(2027, 5, 2): "劳动节",
    date(2027, 5, 3): "劳动节（补假）",
    date(2027, 5, 4): "劳动节（补假）",
    date(2027, 6, 9): "端午节",
    date(2027, 9, 15): "中秋节",
    date(2027, 10, 1): "国庆节",
    date(2027, 10, 2): "国庆节",
    date(2027, 10, 3): "国庆节",
    date(2027, 10, 4): "国庆节（补假）",
    date(2027, 10, 5): "国庆节（补假）",
}


@pytest.fixture(scope="module")
def calendar():
    return WorkCalendar()


def test_new_years_day_2027_is_not_a_working_day_and_the_answer_is_provisional(calendar):
    status = calendar.day(date(2027, 1, 1))

    assert not status.working and status.holiday == "元旦"
    assert status.source.kind is SourceKind.provisional_statutory and status.source.provisional
    assert "国务院令第795号" in status.source.reference


def test_2027_has_exactly_the_statutory_holidays_and_their_make_up_days(calendar):
    table = provisional_year(2027)

    assert {day: entry.name for day, entry in table.entries.items()} == HOLIDAYS_2027
    assert all(not calendar.is_working_day(day) for day in HOLIDAYS_2027)


def test_spring_festival_2027_runs_from_new_years_eve_and_its_weekend_days_are_made_up(calendar):
    assert [calendar.is_working_day(date(2027, 2, d)) for d in range(4, 12)] == [
        True,  # Thu 02-04
        False,  # Fri 02-05 除夕
        False,  # Sat 02-06 初一
        False,  # Sun 02-07 初二
        False,  # Mon 02-08 初三
        False,  # Tue 02-09 补假 for 初一
        False,  # Wed 02-10 补假 for 初二
        True,  # Thu 02-11
    ]


def test_no_weekend_of_2027_is_guessed_to_be_a_working_day(calendar):
    weekends = [date(2027, 1, 2) + timedelta(days=i) for i in range(365)]
    weekends = [d for d in weekends if d.year == 2027 and d.weekday() >= 5]

    assert not any(calendar.is_working_day(d) for d in weekends)


def test_a_holiday_falling_on_a_weekday_gets_no_make_up_day(calendar):
    # 端午 2027 is a Wednesday: Thursday 06-10 is an ordinary working day
    assert calendar.is_working_day(date(2027, 6, 10))


def test_mid_autumn_inside_national_day_2028_is_one_holiday_with_no_extra_day():
    # 2028: 国庆 Sun 10-01, Mon 10-02, Tue 10-03 (= 中秋); Sunday 10-01 is made up on Wed 10-04;
    # Thu 10-05 works
    entries = provisional_year(2028).entries

    assert entries[date(2028, 10, 3)].name == "中秋节、国庆节"
    assert entries[date(2028, 10, 4)].name == "国庆节（补假）"
    assert date(2028, 10, 5) not in entries


def test_years_before_the_2024_statute_have_no_provisional_calendar():
    assert PROVISIONAL_YEARS.start == 2025
    with pytest.raises(YearNotSupported):
        provisional_year(2003)
    with pytest.raises(YearNotSupported):
        WorkCalendar().is_working_day(date(2003, 5, 1))
