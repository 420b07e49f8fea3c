"""The calendar seam: which days are working days, from the operator's calendar, the library, or guessed."""

from datetime import date

import chinese_calendar
import pytest
from acceptance_builders import notice_2027, official_2027
from onematter_acceptance.domain.calendar import WorkCalendar, with_newer_notice
from onematter_workdays import NoticeOutdated, notice_from_dict


def test_the_library_has_no_data_for_2027():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))


def test_an_adjusted_sunday_is_a_working_day_and_national_day_is_a_named_holiday():
    calendar = WorkCalendar()

    assert calendar.classify(date(2025, 9, 28)) == (True, None, True)
    assert calendar.classify(date(2025, 10, 1)) == (False, "国庆节", True)


def test_a_year_without_a_notice_or_library_data_is_the_provisional_statutory_calendar():
    calendar = WorkCalendar()

    # 《全国年节及纪念日放假办法》(2024) 第二条: 元旦 1 day — Friday 2027-01-01 is a holiday, provisionally
    assert calendar.classify(date(2027, 1, 1)) == (False, "元旦", False)
    assert calendar.classify(date(2027, 1, 2)) == (False, None, False)


def test_a_loaded_official_notice_wins_for_its_year():
    calendar = official_2027()

    assert calendar.classify(date(2027, 1, 1)) == (False, "元旦", True)
    assert calendar.is_workday(date(2027, 2, 20))  # the notice's 调休 Saturday
    # from Fri 02-19: the adjusted Saturday 02-20 (1), Sunday off, Monday 02-22 (2)
    assert calendar.deadline(start=date(2027, 2, 19), working_days=2).due == date(2027, 2, 22)


def test_the_calendars_counting_helpers_are_the_legal_clocks():
    calendar = WorkCalendar()

    assert calendar.add_working_days(date(2025, 9, 30), 3) == date(2025, 10, 11)
    assert calendar.working_days_between(date(2025, 9, 30), date(2025, 10, 11)) == 3
    assert calendar.previous_workday(date(2025, 10, 9)) == date(2025, 9, 30)


def test_a_newer_version_of_a_years_notice_replaces_the_one_in_force():
    corrected = notice_from_dict(notice_2027(version=2, issued_on="2026-11-25"))

    calendar = with_newer_notice(official_2027(), corrected)

    assert calendar.notice_for(2027) == corrected


def test_the_same_version_of_a_years_notice_is_refused_even_when_identical():
    with pytest.raises(NoticeOutdated):
        with_newer_notice(official_2027(), notice_from_dict(notice_2027()))


def test_an_older_version_of_a_years_notice_is_refused():
    newer = with_newer_notice(official_2027(), notice_from_dict(notice_2027(version=3)))

    with pytest.raises(NoticeOutdated):
        with_newer_notice(newer, notice_from_dict(notice_2027(version=2)))
