"""The operator calendar file: JSON or YAML, and a changed file is noticed."""

import json
import os
from datetime import date

from onematter_acceptance.adapters.calendar_file import CalendarFile, load_operator_calendar
from onematter_acceptance.domain.calendar import WorkCalendar


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


def test_a_bare_list_of_holidays_is_read_without_names(tmp_path):
    path = tmp_path / "calendar.json"
    path.write_text(json.dumps({"years": [2027], "holidays": ["2027-01-01"]}), encoding="utf-8")

    assert load_operator_calendar(path).holidays == {date(2027, 1, 1): "holiday"}


def test_a_changed_file_gives_a_new_calendar_once(tmp_path):
    path = tmp_path / "calendar.json"
    path.write_text(json.dumps({"years": []}), encoding="utf-8")
    watched = CalendarFile(str(path))
    unchanged = watched.changed_calendar()
    path.write_text(json.dumps({"years": [2027], "holidays": {"2027-01-01": "元旦"}}), encoding="utf-8")
    os.utime(path, (1, 1))  # a different modification time, whatever the file system's resolution

    changed = watched.changed_calendar()

    assert unchanged is None
    assert changed is not None and changed.classify(date(2027, 1, 1)) == (False, "元旦", True)
    assert watched.changed_calendar() is None


def test_without_a_file_the_calendar_is_the_national_one_and_never_changes():
    watched = CalendarFile(None)

    assert watched.calendar().operator.years == frozenset()
    assert watched.changed_calendar() is None
