"""The calendar against a table typed by hand from the State Council notices for 2024, 2025 and 2026.

The table (fixtures/state_council_holidays_2024_2026.yaml) lists every holiday and every 调休 working day
day by day; it is read here without the library's notice loader, so a bug there cannot hide a bug here.
"""

from datetime import date, timedelta

import pytest
import yaml
from onematter_workdays import SourceKind, WorkCalendar, load_notice, load_notices
from onematter_workdays.festivals import festival_names

YEARS = (2024, 2025, 2026)
NOTICE_FILES = {2024: "2024.yaml", 2025: "2025.json", 2026: "2026.yaml"}


@pytest.fixture(scope="module")
def table(fixtures):
    return yaml.safe_load((fixtures / "state_council_holidays_2024_2026.yaml").read_text(encoding="utf-8"))


def _expected_working(year_table, day):
    if day in year_table["working_days"]:
        return True
    if day in year_table["holidays"]:
        return False
    return day.weekday() < 5


def _days(year):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


def test_the_typed_table_has_the_days_the_notices_count(table):
    # counts read off the notices: "共8天" etc. (2024: 1+8+3+5+1+3+7; 2025: 1+8+3+5+3+8; 2026: 3+9+3+5+3+3+7)
    assert [len(table[y]["holidays"]) for y in YEARS] == [28, 28, 33]
    assert [len(table[y]["working_days"]) for y in YEARS] == [8, 5, 6]
    assert all(d.weekday() >= 5 for y in YEARS for d in table[y]["working_days"])


@pytest.mark.parametrize("year", YEARS)
def test_chinese_calendar_agrees_with_the_notice_on_every_day_of_the_year(table, year):
    calendar = WorkCalendar()

    disagreements = [
        day for day in _days(year) if calendar.is_working_day(day) != _expected_working(table[year], day)
    ]

    assert disagreements == []
    assert calendar.source_for_year(year).kind is SourceKind.chinese_calendar


@pytest.mark.parametrize("year", YEARS)
def test_chinese_calendar_names_each_holiday_by_a_festival_of_its_notice_period(table, year):
    calendar = WorkCalendar()

    for day, period in table[year]["holidays"].items():
        # chinese_calendar names a combined period's days singly (2025-10-06 is 中秋节 there)
        assert calendar.day(day).holiday in period.split("、"), day


@pytest.mark.parametrize("year", YEARS)
def test_the_loaded_notice_file_decides_every_day_as_the_typed_table_says(fixtures, table, year):
    notice = load_notice(fixtures / "notices" / NOTICE_FILES[year])
    calendar = WorkCalendar([notice], use_library=False)

    assert notice.document_number == table[year]["document_number"]
    assert notice.issued_on == table[year]["issued_on"]
    for day in _days(year):
        status = calendar.day(day)
        assert status.working == _expected_working(table[year], day), day
        assert status.source.reference == table[year]["document_number"]
        if day in table[year]["holidays"]:
            assert status.holiday == table[year]["holidays"][day]
        if day in table[year]["working_days"]:
            assert status.adjusted and status.belongs_to == table[year]["working_days"][day]


def test_every_holiday_name_in_the_table_is_a_statutory_festival(table):
    assert all(festival_names(name) for y in YEARS for name in table[y]["holidays"].values())


def test_the_three_notice_files_load_together(fixtures):
    notices = [load_notices(fixtures / "notices" / NOTICE_FILES[y])[0] for y in YEARS]

    calendar = WorkCalendar(notices)

    assert [n.year for n in calendar.notices] == list(YEARS)
    assert {calendar.source_for_year(y).kind for y in YEARS} == {SourceKind.official_notice}
