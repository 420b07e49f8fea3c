"""The legal clock on real dates, every expected deadline counted by hand from the notices' calendar.

Counting: the acceptance day is day 0; day n is the n-th working day after it (《行政许可法》第八十二条,
《民法典》第二百零一条). 调休 weekends count, holidays and ordinary weekends do not.
"""

from datetime import date

import pytest
from onematter_workdays import Extension, NonWorkingDayRule, Pause, WorkCalendar


@pytest.fixture(scope="module")
def calendar():
    return WorkCalendar()


# 春节 2025 (国办发明电〔2024〕12号): off 01-28..02-04; Sunday 01-26 and Saturday 02-08 are working days.
def test_across_spring_festival_2025_the_adjusted_sunday_counts_and_the_eight_holidays_do_not(calendar):
    # accepted Fri 01-24: Sun 01-26 = 1 (调休), Mon 01-27 = 2, [01-28..02-04 off], Wed 02-05 = 3
    deadline = calendar.deadline(start=date(2025, 1, 24), working_days=3)

    assert deadline.due == date(2025, 2, 5)
    assert deadline.adjusted_workdays == (date(2025, 1, 26),)
    assert [d for d, _ in deadline.holidays_skipped] == [date(2025, 1, 28 + i) for i in range(4)] + [
        date(2025, 2, i) for i in range(1, 5)
    ]
    assert {name for _, name in deadline.holidays_skipped} == {"春节"}
    assert not deadline.provisional


def test_after_spring_festival_2025_the_adjusted_saturday_is_a_due_date(calendar):
    # accepted Wed 02-05: Thu 02-06 = 1, Fri 02-07 = 2, Sat 02-08 (调休) = 3
    assert calendar.deadline(start=date(2025, 2, 5), working_days=3).due == date(2025, 2, 8)


# 劳动节 2025: off 05-01..05-05; Sunday 04-27 is a working day.
def test_across_labour_day_2025(calendar):
    # accepted Fri 04-25: Sun 04-27 = 1, Mon 28 = 2, Tue 29 = 3, Wed 30 = 4, [05-01..05-05 off], Tue 05-06 = 5
    deadline = calendar.deadline(start=date(2025, 4, 25), working_days=5)

    assert deadline.due == date(2025, 5, 6)
    assert deadline.adjusted_workdays == (date(2025, 4, 27),)
    assert len(deadline.holidays_skipped) == 5


# 国庆节、中秋节 2025: off 10-01..10-08; Sunday 09-28 and Saturday 10-11 are working days.
def test_across_national_day_2025_both_adjusted_weekend_days_count(calendar):
    # accepted Fri 09-26: Sun 09-28 = 1, Mon 29 = 2, Tue 30 = 3, [10-01..10-08 off], Thu 10-09 = 4,
    # Fri 10-10 = 5, Sat 10-11 (调休) = 6
    deadline = calendar.deadline(start=date(2025, 9, 26), working_days=6)

    assert deadline.due == date(2025, 10, 11)
    assert deadline.adjusted_workdays == (date(2025, 9, 28), date(2025, 10, 11))
    assert (date(2025, 10, 6), "中秋节") in deadline.holidays_skipped


# 春节 2026 (国办发明电〔2025〕7号): off 02-15..02-23; Saturdays 02-14 and 02-28 are working days.
def test_across_spring_festival_2026(calendar):
    # accepted Thu 02-12: Fri 02-13 = 1, Sat 02-14 (调休) = 2, [02-15..02-23 off], Tue 02-24 = 3,
    # Wed 02-25 = 4
    deadline = calendar.deadline(start=date(2026, 2, 12), working_days=4)

    assert deadline.due == date(2026, 2, 25)
    assert len(deadline.holidays_skipped) == 9


def test_after_spring_festival_2026_the_adjusted_saturday_ends_a_four_day_limit(calendar):
    # accepted Tue 02-24: Wed 25 = 1, Thu 26 = 2, Fri 27 = 3, Sat 02-28 (调休) = 4
    assert calendar.deadline(start=date(2026, 2, 24), working_days=4).due == date(2026, 2, 28)


def test_the_issue_example_accepted_on_1_december_2026_with_20_working_days(calendar):
    # Tue 12-01 is day 0; Dec 2-4 = 1..3, 7-11 = 4..8, 14-18 = 9..13, 21-25 = 14..18, Mon 28 = 19, Tue 29 = 20
    deadline = calendar.deadline(start=date(2026, 12, 1), working_days=20)

    assert deadline.due == date(2026, 12, 29)
    # on day 0 all 20 working days are still ahead: Dec 2 .. Dec 29 (issue 15 says 19; see the report)
    assert calendar.working_days_left(date(2026, 12, 1), deadline.due) == 20
    assert calendar.working_days_left(date(2026, 12, 29), deadline.due) == 0
    assert calendar.working_days_left(date(2026, 12, 30), deadline.due) == -1


def test_a_supplement_pause_moves_the_deadline_by_its_working_days(calendar):
    # 3 days from 09-30 → 10-11 (10-09, 10-10, 调休 10-11); paused (10-09, 10-11] = Fri 10 + Sat 11 = 2
    # → 2 more: Mon 10-13, Tue 10-14
    pause = Pause(start=date(2025, 10, 9), end=date(2025, 10, 11))

    deadline = calendar.deadline(start=date(2025, 9, 30), working_days=3, pauses=[pause])

    assert deadline.pauses == ((date(2025, 10, 9), date(2025, 10, 11), 2),)
    assert deadline.due == date(2025, 10, 14)


def test_an_open_pause_keeps_moving_the_deadline_until_today(calendar):
    # paused (10-09, 10-13] = Fri 10, Sat 11 (调休), Mon 13 = 3, so 3 + 3 = 6 working days after 09-30:
    # 10-09, 10-10, 10-11, 10-13, 10-14, Wed 10-15
    deadline = calendar.deadline(
        start=date(2025, 9, 30), working_days=3, pauses=[Pause(date(2025, 10, 9))], today=date(2025, 10, 13)
    )

    assert deadline.due == date(2025, 10, 15)


def test_an_extension_adds_its_working_days(calendar):
    # 5 from Fri 09-26 → 10-10 (as above); +10: Sat 10-11 = 6, 13..17 = 7..11, 20..23 = 12..15 → Thu 10-23
    extension = Extension(working_days=10, granted_on=date(2025, 10, 9), reason="经负责人批准延长")

    deadline = calendar.deadline(start=date(2025, 9, 26), working_days=5, extensions=[extension])

    assert deadline.due == date(2025, 10, 23)
    assert deadline.explain()["extensions"] == [
        {"working_days": 10, "granted_on": "2025-10-09", "reason": "经负责人批准延长"}
    ]


def test_accepted_on_a_saturday_the_default_counts_the_next_working_day_as_day_one(calendar):
    # Sat 2025-03-08 is day 0; Mon 03-10 is day 1
    deadline = calendar.deadline(start=date(2025, 3, 8), working_days=1)

    assert NonWorkingDayRule.DEFAULT is NonWorkingDayRule.count_from_next_working_day
    assert deadline.due == date(2025, 3, 10)
    assert deadline.explain()["non_working_day_acceptance"]["rule"] == "count_from_next_working_day"
    assert deadline.explain()["non_working_day_acceptance"]["applied"] is True


def test_accepted_on_a_holiday_and_deemed_accepted_on_the_next_working_day(calendar):
    # Sun 2025-02-02 (春节) is deemed accepted on Wed 02-05 (day 0); day 1 is Thu 02-06
    deadline = calendar.deadline(
        start=date(2025, 2, 2), working_days=1, rule=NonWorkingDayRule.deemed_next_working_day
    )

    assert deadline.clock_start == date(2025, 2, 5)
    assert deadline.due == date(2025, 2, 6)
    assert deadline.explain()["non_working_day_acceptance"]["rule"] == "deemed_next_working_day"


def test_the_rule_makes_no_difference_on_a_working_day(calendar):
    deemed = calendar.deadline(
        start=date(2025, 3, 10), working_days=1, rule=NonWorkingDayRule.deemed_next_working_day
    )

    assert deemed.due == date(2025, 3, 11)
    assert deemed.explain()["non_working_day_acceptance"]["applied"] is False


def test_the_calendar_rule_is_configurable():
    deemed = WorkCalendar(rule=NonWorkingDayRule.deemed_next_working_day)

    assert deemed.deadline(start=date(2025, 3, 8), working_days=1).due == date(2025, 3, 11)


def test_a_deadline_explains_its_holidays_pauses_rule_and_sources(calendar):
    explanation = calendar.deadline(
        start=date(2025, 9, 30), working_days=3, pauses=[Pause(date(2025, 10, 9), date(2025, 10, 11))]
    ).explain()

    assert explanation["start"] == "2025-09-30" and explanation["due"] == "2025-10-14"
    assert {"date": "2025-10-01", "name": "国庆节"} in explanation["holidays_skipped"]
    assert explanation["pauses"] == [{"from": "2025-10-09", "to": "2025-10-11", "working_days": 2}]
    assert explanation["total_working_days"] == 5 and explanation["provisional"] is False
    assert [(s["year"], s["kind"]) for s in explanation["calendar"]] == [(2025, "chinese_calendar")]
    assert "第八十二条" in explanation["counting"] and "第二百零一条" in explanation["counting"]


def test_a_deadline_into_an_unpublished_year_is_provisional_and_skips_new_year(calendar):
    # Mon 2026-12-28: 29 = 1, 30 = 2, 31 = 3, [2027-01-01 元旦, statutory], Mon 01-04 = 4, Tue 01-05 = 5
    deadline = calendar.deadline(start=date(2026, 12, 28), working_days=5)

    assert deadline.due == date(2027, 1, 5) and deadline.provisional
    assert deadline.holidays_skipped == ((date(2027, 1, 1), "元旦"),)
    assert [(s.year, s.provisional) for s in deadline.sources] == [(2026, False), (2027, True)]


def test_the_24_day_matter_of_issue_15_no_longer_ends_on_new_years_day(calendar):
    # Tue 2026-12-01: December gives 22 working days (2-4, 7-11, 14-18, 21-25, 28-31); [01-01 off],
    # 01-04 = 23, 01-05 = 24 (the weekends-only fallback said 2027-01-01)
    deadline = calendar.deadline(start=date(2026, 12, 1), working_days=24)

    assert deadline.due == date(2027, 1, 5) and deadline.provisional
