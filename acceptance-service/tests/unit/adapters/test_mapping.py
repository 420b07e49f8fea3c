"""Rows ↔ domain: an aggregate survives the round trip, and writing back touches only what changed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from acceptance_builders import accepted_newborn
from onematter_acceptance.adapters.mapping import application_row, to_application, write_back
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.task import Decision

NOW = datetime(2025, 9, 30, 4, tzinfo=UTC)


def test_an_application_with_pauses_demands_and_rejections_survives_the_round_trip():
    application = accepted_newborn(now=NOW)
    mps = next(t for t in application.tasks if t.department == "mps")
    application.request_supplement(mps, materials=["hukou_book"], reason="不清晰", officer_id="o", now=NOW)
    application.new_entries.clear()

    row, task_rows = application_row(application)
    again = to_application(row, task_rows)

    assert again.tasks == sorted(application.tasks, key=lambda t: t.item_code)  # read back by item code
    assert replace(again, tasks=[]) == replace(application, tasks=[])
    assert row.open_supplement["hukou_book"]["departments"] == ["mps"]
    assert next(t for t in task_rows if t.id == mps.id).pauses == [{"from": "2025-09-30", "to": None}]


class _Row:
    """A row stand-in that records which columns were set."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values, written=set())

    def __setattr__(self, name: str, value: Any) -> None:
        self.written.add(name)
        super().__setattr__(name, value)


def test_writing_back_sets_only_the_columns_that_changed():
    application = accepted_newborn(now=NOW)
    new_row, task_rows = application_row(application)
    nhc = next(t for t in application.tasks if t.department == "nhc")
    nhc_row = _Row(vars(next(t for t in task_rows if t.id == nhc.id)))
    row = _Row(vars(new_row))
    application.decide(nhc, Decision("approved"), officer_id="o", now=NOW, calendar=WorkCalendar())

    write_back(nhc, nhc_row)
    write_back(application, row)

    assert nhc_row.written == {
        "status",
        "officer_id",
        "completed_at",
        "on_time",
        "handling_working_days",
        "licence_type",
    }
    assert row.written == set() and row.deadline == date(2025, 10, 21)
