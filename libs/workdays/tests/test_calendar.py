"""The calendar's counting, its sources per year, and versioned notices."""

from datetime import date

import pytest
from onematter_workdays import (
    NoticeInvalid,
    NoticeOutdated,
    SourceKind,
    WorkCalendar,
    load_notice,
    notice_from_dict,
)


@pytest.fixture(scope="module")
def calendar():
    return WorkCalendar()


def test_next_and_previous_working_days_step_over_national_day_2025(calendar):
    # off 10-01..10-08; Tue 09-30 and Thu 10-09 are the working days either side
    assert calendar.next_working_day(date(2025, 9, 30)) == date(2025, 10, 9)
    assert calendar.previous_working_day(date(2025, 10, 9)) == date(2025, 9, 30)
    assert calendar.previous_workday(date(2025, 10, 12)) == date(2025, 10, 11)  # 调休 Saturday


def test_adding_working_days_goes_both_ways(calendar):
    assert calendar.add_working_days(date(2025, 9, 30), 0) == date(2025, 9, 30)
    assert calendar.add_working_days(date(2025, 10, 9), -2) == date(2025, 9, 29)  # Tue 30, Mon 29
    assert calendar.add_working_days(date(2025, 3, 8), 1) == date(2025, 3, 10)  # from a Saturday


def test_working_days_between_counts_the_end_not_the_start_and_is_signed(calendar):
    # (09-26, 10-11] = Sun 28, Mon 29, Tue 30, Thu 10-09, Fri 10-10, Sat 10-11 = 6
    assert calendar.working_days_between(date(2025, 9, 26), date(2025, 10, 11)) == 6
    assert calendar.working_days_between(date(2025, 10, 11), date(2025, 9, 26)) == -6
    assert calendar.working_days_between(date(2025, 10, 1), date(2025, 10, 8)) == 0


def test_each_day_names_what_decided_it(calendar):
    assert calendar.day(date(2025, 10, 11)).adjusted
    assert calendar.day(date(2025, 10, 11)).belongs_to == "国庆节"
    assert calendar.source_for_year(2025).kind is SourceKind.chinese_calendar
    assert calendar.source_for_year(2025).version
    assert calendar.source_for_year(2027).kind is SourceKind.provisional_statutory


def test_classify_keeps_the_shape_acceptance_used(calendar):
    assert calendar.classify(date(2025, 10, 1)) == (False, "国庆节", True)
    assert calendar.classify(date(2027, 1, 4)) == (True, None, False)


def test_an_official_notice_wins_over_the_library_and_over_the_statute(fixtures, notice_2027):
    notice_2026 = load_notice(fixtures / "notices" / "2026.yaml")
    calendar = WorkCalendar().with_notice(notice_2026).with_notice(notice_from_dict(notice_2027()))

    assert calendar.source_for_year(2026).reference == "国办发明电〔2025〕7号"
    assert calendar.source_for_year(2027).kind is SourceKind.official_notice
    assert calendar.is_working_day(date(2027, 2, 20))  # the made-up notice's 调休 Saturday
    assert not calendar.is_working_day(date(2027, 1, 2))


def test_a_newer_version_of_a_years_notice_replaces_the_older(notice_2027):
    first = WorkCalendar().with_notice(notice_from_dict(notice_2027()))
    corrected = notice_2027(version=2, adjusted_workdays=[])

    second = first.with_notice(notice_from_dict(corrected))

    assert first.is_working_day(date(2027, 2, 20)) and not second.is_working_day(date(2027, 2, 20))
    assert second.source_for_year(2027).version == "2"
    assert second.notice_for(2027).version == 2


def test_an_older_or_conflicting_version_is_refused_and_the_same_one_is_a_no_op(notice_2027):
    calendar = WorkCalendar().with_notice(notice_from_dict(notice_2027(version=2)))

    with pytest.raises(NoticeOutdated):
        calendar.with_notice(notice_from_dict(notice_2027(version=1)))
    with pytest.raises(NoticeOutdated):
        calendar.with_notice(notice_from_dict(notice_2027(version=2, adjusted_workdays=[])))
    assert calendar.with_notice(notice_from_dict(notice_2027(version=2))) is calendar


def test_a_bad_notice_changes_nothing(notice_2027):
    calendar = WorkCalendar()

    with pytest.raises(NoticeInvalid):
        calendar.with_notice(notice_from_dict(notice_2027(holidays=[])))

    assert calendar.notices == ()
    assert calendar.source_for_year(2027).provisional


def test_new_years_days_in_december_are_decided_by_the_next_years_notice(fixtures):
    library = WorkCalendar()
    official = WorkCalendar([load_notice(fixtures / "notices" / "2019.yaml")])

    for day in (
        date(2018, 12, 29),
        date(2018, 12, 30),
        date(2018, 12, 31),
        date(2019, 1, 1),
        date(2019, 1, 2),
    ):
        assert library.is_working_day(day) == official.is_working_day(day), day
    assert official.day(date(2018, 12, 29)).source.reference == "国办发明电〔2018〕15号"
    assert official.day(date(2018, 12, 28)).source.kind is SourceKind.chinese_calendar
