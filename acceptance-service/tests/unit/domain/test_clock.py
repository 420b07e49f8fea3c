"""The legal clock, pinned on real dates of the national calendar.

Known answers come from the State Council's notice for 2025 (国办发明电〔2024〕12号): National Day and
Mid-Autumn 10-01..10-08 off, Sunday 09-28 and Saturday 10-11 working days; December 2026 has no holiday.
"""

from datetime import UTC, date, datetime

from acceptance_builders import official_2027
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.clock import (
    Pause,
    compute_deadline,
    count_working_days,
    due_after,
    previous_working_day,
    working_days_left,
)
from onematter_clock import FixedClock

CALENDAR = WorkCalendar()


def test_three_working_days_from_30_september_2025_skip_national_day_and_end_on_the_adjusted_saturday():
    deadline = compute_deadline(CALENDAR, start=date(2025, 9, 30), working_days=3)

    assert deadline.due == date(2025, 10, 11)
    assert not deadline.provisional
    skipped = [d for d, _ in deadline.holidays_skipped]
    assert date(2025, 10, 1) in skipped and date(2025, 10, 8) in skipped
    assert deadline.adjusted_workdays == (date(2025, 10, 11),)


def test_a_supplement_pause_of_two_working_days_moves_the_deadline_by_two_working_days():
    pause = Pause(start=date(2025, 10, 9), end=date(2025, 10, 11))  # 10-10 (Fri) and 10-11 (调休 Sat)

    deadline = compute_deadline(CALENDAR, start=date(2025, 9, 30), working_days=3, pauses=[pause])

    assert deadline.pauses == ((date(2025, 10, 9), date(2025, 10, 11), 2),)
    assert deadline.due == date(2025, 10, 14)  # 10-11 + Mon 13 + Tue 14
    assert count_working_days(CALENDAR, date(2025, 10, 11), deadline.due) == 2


def test_an_open_pause_keeps_moving_the_deadline_until_today():
    open_pause = Pause(start=date(2025, 10, 9))

    deadline = compute_deadline(
        CALENDAR, start=date(2025, 9, 30), working_days=3, pauses=[open_pause], today=date(2025, 10, 13)
    )

    assert deadline.due == date(2025, 10, 15)  # paused 10, 11, 13 → 3 more working days


def test_an_open_pause_counts_nothing_without_a_today():
    deadline = compute_deadline(
        CALENDAR, start=date(2025, 9, 30), working_days=3, pauses=[Pause(date(2025, 10, 9))]
    )

    assert deadline.due == date(2025, 10, 11)


def test_a_deadline_reaching_a_year_without_calendar_data_is_provisional_and_skips_new_years_day():
    deadline = compute_deadline(CALENDAR, start=date(2026, 12, 28), working_days=5)

    assert deadline.provisional
    # the statutory rule (2024 revision): 元旦 Fri 01-01 off; 29, 30, 31, Mon 01-04, Tue 01-05
    assert deadline.due == date(2027, 1, 5)
    assert (date(2027, 1, 1), "元旦") in deadline.holidays_skipped
    assert deadline.explain()["calendar"][-1]["kind"] == "provisional_statutory"


def test_an_official_notice_year_is_not_provisional_and_its_holidays_are_skipped():
    calendar = official_2027()

    deadline = compute_deadline(calendar, start=date(2026, 12, 28), working_days=5)

    assert not deadline.provisional
    assert deadline.due == date(2027, 1, 5)
    assert (date(2027, 1, 1), "元旦") in deadline.holidays_skipped


def test_a_deadline_explains_itself():
    explanation = compute_deadline(CALENDAR, start=date(2025, 9, 30), working_days=3).explain()

    assert explanation["start"] == "2025-09-30" and explanation["due"] == "2025-10-11"
    assert {"date": "2025-10-01", "name": "国庆节"} in explanation["holidays_skipped"]
    assert explanation["adjusted_workdays"] == ["2025-10-11"]


def test_working_days_left_count_after_today_up_to_the_due_date_and_go_negative_once_it_passed():
    # Mon 2025-09-29 → due Wed 10-15: 09-30, 10-09, 10-10, 调休 Sat 10-11, 10-13, 10-14, 10-15
    assert working_days_left(CALENDAR, today=date(2025, 9, 29), due=date(2025, 10, 15)) == 7
    # due Fri 09-26, today Mon 09-29: 调休 Sunday 09-28 and Monday 09-29 are past the deadline
    assert working_days_left(CALENDAR, today=date(2025, 9, 29), due=date(2025, 9, 26)) == -2
    assert working_days_left(CALENDAR, today=date(2025, 9, 26), due=date(2025, 9, 26)) == 0


def test_the_previous_working_day_before_the_holiday_is_the_last_day_of_september():
    assert previous_working_day(CALENDAR, date(2025, 10, 9)) == date(2025, 9, 30)
    assert due_after(CALENDAR, date(2025, 9, 30), 1) == date(2025, 10, 9)


def test_the_issue_example_in_china_time_starts_on_1_december_and_is_due_on_29_december():
    """Issue 15: at 2026-11-30T20:04:52Z it is already 1 December 04:04 in Beijing.

    Hand count (December 2026 has no holiday; 12-01 is a Tuesday): working days after 12-01 are
    12-02..04 (3), 07..11 (8), 14..18 (13), 21..25 (18), 28 (19), 29 (20) — so 20 working days end on
    12-29. On 12-01 the working days in (12-01, 12-29] are those same 20. (The issue's "19 left" counts one
    day fewer than its own due date allows; the rule kept here is the one the workbench test pins: 7 left
    on 2025-09-29 for a task due 2025-10-15.)
    """
    today = FixedClock(datetime(2026, 11, 30, 20, 4, 52, tzinfo=UTC)).today()

    deadline = compute_deadline(CALENDAR, start=today, working_days=20)

    assert today == date(2026, 12, 1)
    assert (deadline.due, deadline.provisional, deadline.holidays_skipped) == (date(2026, 12, 29), False, ())
    assert working_days_left(CALENDAR, today=today, due=deadline.due) == 20
