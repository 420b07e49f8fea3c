"""The legal clock, pinned on real dates of the national calendar."""

import json
from datetime import date

import pytest
from onematter_acceptance.domain.calendar import Pause, WorkCalendar, load_operator_calendar


def test_three_working_days_from_30_september_2025_skip_national_day_and_end_on_the_adjusted_saturday():
    deadline = WorkCalendar().deadline(start=date(2025, 9, 30), working_days=3)

    assert deadline.due == date(2025, 10, 11)
    assert not deadline.provisional
    skipped = [d for d, _ in deadline.holidays_skipped]
    assert date(2025, 10, 1) in skipped and date(2025, 10, 8) in skipped
    assert deadline.adjusted_workdays == (date(2025, 10, 11),)


def test_a_supplement_pause_of_two_working_days_moves_the_deadline_by_two_working_days():
    calendar = WorkCalendar()
    pause = Pause(start=date(2025, 10, 9), end=date(2025, 10, 11))  # 10-10 (Fri) and 10-11 (调休 Sat)

    deadline = calendar.deadline(start=date(2025, 9, 30), working_days=3, pauses=[pause])

    assert deadline.pauses == ((date(2025, 10, 9), date(2025, 10, 11), 2),)
    assert deadline.due == date(2025, 10, 14)  # 10-11 + Mon 13 + Tue 14
    assert calendar.working_days_between(date(2025, 10, 11), deadline.due) == 2


def test_an_open_pause_keeps_moving_the_deadline_until_today():
    calendar = WorkCalendar()
    open_pause = Pause(start=date(2025, 10, 9))

    deadline = calendar.deadline(
        start=date(2025, 9, 30), working_days=3, pauses=[open_pause], today=date(2025, 10, 13)
    )

    assert deadline.due == date(2025, 10, 15)  # paused 10, 11, 13 → 3 more working days


def test_the_library_has_no_data_for_2027():
    with pytest.raises(NotImplementedError):
        import chinese_calendar

        chinese_calendar.is_workday(date(2027, 1, 4))


def test_a_deadline_reaching_a_year_without_calendar_data_is_provisional():
    deadline = WorkCalendar().deadline(start=date(2026, 12, 28), working_days=5)

    assert deadline.provisional
    assert deadline.due == date(2027, 1, 4)  # weekends only: 29, 30, 31, 1 (Fri), 4 (Mon)


def test_an_operator_calendar_file_removes_the_provisional_flag_and_applies_its_holidays(tmp_path):
    path = tmp_path / "calendar-2027.json"
    path.write_text(
        json.dumps({"years": [2027], "holidays": {"2027-01-01": "元旦"}, "workdays": []}), encoding="utf-8"
    )

    deadline = WorkCalendar(load_operator_calendar(path)).deadline(start=date(2026, 12, 28), working_days=5)

    assert not deadline.provisional
    assert deadline.due == date(2027, 1, 5)
    assert (date(2027, 1, 1), "元旦") in deadline.holidays_skipped


def test_an_operator_calendar_in_yaml_marks_adjusted_working_weekends(tmp_path):
    path = tmp_path / "calendar.yaml"
    path.write_text("years: [2027]\nholidays: {}\nworkdays: ['2027-01-02']\n", encoding="utf-8")
    calendar = WorkCalendar(load_operator_calendar(path))

    assert calendar.is_workday(date(2027, 1, 2))
    assert calendar.deadline(start=date(2026, 12, 31), working_days=2).due == date(2027, 1, 2)


def test_a_deadline_explains_itself():
    explanation = WorkCalendar().deadline(start=date(2025, 9, 30), working_days=3).explain()

    assert explanation["start"] == "2025-09-30" and explanation["due"] == "2025-10-11"
    assert {"date": "2025-10-01", "name": "National Day"} in explanation["holidays_skipped"]
