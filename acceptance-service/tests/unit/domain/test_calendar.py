"""The calendar seam: which days are working days, from the operator's calendar, the library, or guessed."""

from datetime import date

import chinese_calendar
import pytest
from onematter_acceptance.domain.calendar import OperatorCalendar, WorkCalendar


def test_the_library_has_no_data_for_2027():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))


def test_an_adjusted_sunday_is_a_working_day_and_national_day_is_a_named_holiday():
    calendar = WorkCalendar()

    assert calendar.classify(date(2025, 9, 28)) == (True, None, True)
    assert calendar.classify(date(2025, 10, 1)) == (False, "National Day", True)


def test_a_year_nobody_knows_is_weekends_only_and_marked_unknown():
    calendar = WorkCalendar()

    assert calendar.classify(date(2027, 1, 1)) == (True, None, False)  # a Friday: only a guess
    assert calendar.classify(date(2027, 1, 2)) == (False, None, False)


def test_the_operator_calendar_wins_for_the_years_it_describes():
    operator = OperatorCalendar(
        years=frozenset({2027}), holidays={date(2027, 1, 1): "元旦"}, workdays=frozenset({date(2027, 1, 2)})
    )
    calendar = WorkCalendar(operator)

    assert calendar.classify(date(2027, 1, 1)) == (False, "元旦", True)
    assert calendar.is_workday(date(2027, 1, 2))
    # from 12-31: 元旦 01-01 off, the adjusted Saturday 01-02 (1), Sunday off, Monday 01-04 (2)
    assert calendar.deadline(start=date(2026, 12, 31), working_days=2).due == date(2027, 1, 4)


def test_the_calendars_counting_helpers_are_the_legal_clocks():
    calendar = WorkCalendar()

    assert calendar.add_working_days(date(2025, 9, 30), 3) == date(2025, 10, 11)
    assert calendar.working_days_between(date(2025, 9, 30), date(2025, 10, 11)) == 3
    assert calendar.previous_workday(date(2025, 10, 9)) == date(2025, 9, 30)
