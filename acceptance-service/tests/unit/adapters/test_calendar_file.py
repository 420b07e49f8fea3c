"""The operator's notices file: official State Council notices in YAML or JSON, validated, and a changed
file is noticed."""

import json
import os
from datetime import date

import pytest
import yaml
from acceptance_builders import notice_2027
from onematter_acceptance.adapters.calendar_file import CalendarFile, load_operator_notices
from onematter_acceptance.domain.calendar import NonWorkingDayRule, WorkCalendar
from onematter_workdays import NoticeInvalid, SourceKind

NOTICE_2027 = notice_2027()


def test_a_notice_file_removes_the_provisional_flag_and_names_its_document(tmp_path):
    path = tmp_path / "notices.json"
    path.write_text(json.dumps([NOTICE_2027]), encoding="utf-8")

    deadline = WorkCalendar(load_operator_notices(path)).deadline(start=date(2026, 12, 28), working_days=5)

    assert not deadline.provisional
    assert deadline.due == date(2027, 1, 5)  # 12-29, 12-30, 12-31, (元旦 1-01..1-03), 1-04, 1-05
    assert (date(2027, 1, 1), "元旦") in deadline.holidays_skipped
    official = [s for s in deadline.sources if s.kind is SourceKind.official_notice]
    assert [s.reference for s in official] == ["国办发明电〔2026〕99号"]


def test_a_notice_in_yaml_marks_adjusted_working_weekends(tmp_path):
    path = tmp_path / "notices.yaml"
    path.write_text(yaml.safe_dump(NOTICE_2027, allow_unicode=True), encoding="utf-8")
    calendar = WorkCalendar(load_operator_notices(path))

    assert calendar.is_workday(date(2027, 2, 20))  # a Saturday worked for 春节 (调休)
    # from Fri 02-19: Sat 02-20 (1), Sun off, Mon 02-22 (2)
    assert calendar.deadline(start=date(2027, 2, 19), working_days=2).due == date(2027, 2, 22)


def test_a_notice_with_a_date_outside_its_year_is_refused_with_every_problem(tmp_path):
    path = tmp_path / "notices.json"
    holidays = [*NOTICE_2027["holidays"], {"name": "端午节", "first": "2028-05-30", "last": "2028-05-30"}]
    wrong = {**NOTICE_2027, "holidays": holidays}
    path.write_text(json.dumps([wrong]), encoding="utf-8")

    with pytest.raises(NoticeInvalid) as refused:
        load_operator_notices(path)

    assert any("2028" in problem for problem in refused.value.problems)


def test_the_files_notices_are_given_on_the_first_look_and_again_once_after_each_change(tmp_path):
    path = tmp_path / "notices.json"
    path.write_text("[]", encoding="utf-8")
    watched = CalendarFile(str(path))
    first, unchanged = watched.changed_notices(), watched.changed_notices()
    path.write_text(json.dumps([NOTICE_2027]), encoding="utf-8")
    os.utime(path, (1, 1))  # a different modification time, whatever the file system's resolution

    changed = watched.changed_notices()

    assert (first, unchanged) == ((), None)
    assert changed is not None and [n.document_number for n in changed] == ["国办发明电〔2026〕99号"]
    assert watched.changed_notices() is None


def test_without_a_file_the_calendar_is_the_national_one_with_the_configured_rule():
    watched = CalendarFile(None, rule=NonWorkingDayRule.deemed_next_working_day)

    assert watched.calendar().notices == ()
    assert watched.calendar().rule is NonWorkingDayRule.deemed_next_working_day
    assert watched.changed_notices() is None
