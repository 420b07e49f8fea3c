"""The operator's view of the loaded notices."""

from __future__ import annotations

from acceptance_builders import official_2027
from onematter_acceptance.entrypoints.public.calendar import CalendarPublic


def test_the_loaded_notices_are_listed_with_document_number_and_version_and_the_rule_in_use():
    body = CalendarPublic.of(official_2027()).model_dump(mode="json")

    assert body["notices"] == [
        {
            "year": 2027,
            "document_number": "国办发明电〔2026〕99号",
            "version": 1,
            "issued_on": "2026-11-20",
            "title": None,
            "holiday_periods": 7,
            "adjusted_workdays": 4,
        }
    ]
    assert body["non_working_day_rule"] == "count_from_next_working_day"
