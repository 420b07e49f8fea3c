"""The answers' shapes: instants in China Standard Time (+08:00), dates as dates, the pause's ``from``."""

from __future__ import annotations

from datetime import UTC, date, datetime

from acceptance_builders import accepted_newborn
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.entrypoints.public.applications import ApplicationSummaryPublic
from onematter_acceptance.entrypoints.public.tasks import QueuedTaskPublic
from onematter_acceptance.service_layer.queries import reading

AT_NIGHT_IN_UTC = datetime(2026, 11, 30, 20, 4, 52, tzinfo=UTC)


def test_an_accepted_at_is_written_in_beijing_time_with_its_offset():
    application = accepted_newborn(now=AT_NIGHT_IN_UTC)

    body = ApplicationSummaryPublic.of(application).model_dump(mode="json")

    assert body["accepted_at"] == "2026-12-01T04:04:52+08:00"
    assert (
        body["completed_at"] is None and body["deadline"] == "2026-12-15"
    )  # mohrss: 12-02..04, 07..11, 14, 15


def test_a_task_answer_explains_its_deadline_and_names_a_pause_by_from_and_to():
    application = accepted_newborn(now=AT_NIGHT_IN_UTC)
    task = next(t for t in application.tasks if t.department == "mps")
    task.pause(["hukou_book"], today=date(2026, 12, 2))

    body = QueuedTaskPublic.of(
        reading(task, application, calendar=WorkCalendar(), today=date(2026, 12, 4))
    ).model_dump(mode="json", by_alias=True)

    assert body["deadline_explanation"]["pauses"] == [{"from": "2026-12-02", "to": None, "working_days": 2}]
    assert body["deadline"] == "2026-12-04"  # due 12-02, moved by the open pause's 12-03 and 12-04
    assert body["accepted_at"] == "2026-12-01T04:04:52+08:00" and body["working_days_left"] == 0


def test_a_deadline_explanation_names_its_calendar_sources_and_the_non_working_day_rule():
    application = accepted_newborn(now=datetime(2026, 12, 5, 2, tzinfo=UTC))  # Saturday 12-05 in Beijing
    task = next(t for t in application.tasks if t.department == "mps")

    body = QueuedTaskPublic.of(
        reading(task, application, calendar=WorkCalendar(), today=date(2026, 12, 5))
    ).model_dump(mode="json")
    explained = body["deadline_explanation"]

    assert explained["non_working_day_acceptance"]["rule"] == "count_from_next_working_day"
    assert explained["non_working_day_acceptance"]["applied"] is True
    assert explained["clock_start"] == "2026-12-05"
    assert [source["kind"] for source in explained["calendar"]] == ["chinese_calendar"]
    assert "第八十二条" in explained["counting"]
