"""The legal clock inside the service: 补正 pauses, and the overdue check (once per task, any replicas)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from acceptance_builders import official_2027
from acceptance_testing import submission
from onematter_events import task_topic
from onematter_testkit import random_id, read_events

pytestmark = pytest.mark.integration


def _pin(service, day: date) -> None:
    service.pin(day)


async def test_a_two_working_day_supplement_pause_moves_the_task_deadline_by_two_working_days(service):
    collaborators = service.collaborators
    applicant = random_id("zhangsan")
    _pin(service, date(2025, 9, 30))
    application = (
        await service.submit(applicant, body=submission(service.materials.upload_all(applicant)))
    ).json()
    task = next(t for t in application["tasks"] if t["department"] == "mps")
    officer = service.headers("officer-mps", "officer", department="mps")
    _pin(service, date(2025, 10, 9))
    await service.client.post(
        f"/api/v1/tasks/{task['id']}/request-supplement",
        headers=officer,
        json={"materials": ["hukou_book"], "reason": "不清晰"},
    )
    _pin(service, date(2025, 10, 11))  # 10-10 and the 调休 Saturday 10-11: two working days

    answer = await service.client.post(
        f"/api/v1/applications/{application['acceptance_number']}/supplements",
        json={"materials": {"hukou_book": service.materials.upload(applicant, "hukou_book")}},
        headers=service.headers(applicant, "applicant"),
    )

    resumed = next(t for t in answer.json()["tasks"] if t["id"] == task["id"])
    assert task["deadline"] == "2025-10-09"
    assert resumed["deadline"] == collaborators.calendar.add_working_days(date(2025, 10, 9), 2).isoformat()
    assert resumed["deadline"] == "2025-10-11"  # 10-09 + Fri 10-10 + 调休 Sat 10-11
    assert resumed["deadline_explanation"]["pauses"] == [
        {"from": "2025-10-09", "to": "2025-10-11", "working_days": 2}
    ]


async def test_the_overdue_check_warns_once_and_reports_overdue_once_per_task_across_replicas(service):
    collaborators = service.collaborators
    applicant = random_id("zhangsan")
    application = (
        await service.submit(applicant, body=submission(service.materials.upload_all(applicant)))
    ).json()
    nhsa = next(t for t in application["tasks"] if t["department"] == "nhsa")
    due = date.fromisoformat(nhsa["deadline"])

    warned = await service.check_overdue(today=collaborators.calendar.previous_workday(due))
    warned_again = await service.check_overdue(today=collaborators.calendar.previous_workday(due))
    late = max(date.fromisoformat(t["deadline"]) for t in application["tasks"]) + timedelta(days=3)
    replicas = await asyncio.gather(*(service.check_overdue(today=late) for _ in range(3)))

    assert warned == 4 and warned_again == 0  # the four 1-day tasks; mohrss (10 days) is not due yet
    assert sum(replicas) == 5  # each task overdue once; a task already overdue gets no late warning
    assert await service.check_overdue(today=late) == 0
    events = await read_events(
        service.kafka, task_topic("nhsa", service.prefix), count=2, where=lambda e: "overdue" in e.type
    )
    assert sorted(e.type for e in events) == [
        "gov.onematter.task.overdue",
        "gov.onematter.task.overdue-warning",
    ]


async def test_a_provisional_deadline_is_recomputed_once_an_official_notice_for_the_year_is_loaded(service):
    collaborators = service.collaborators
    applicant = random_id("zhangsan")
    _pin(service, date(2026, 12, 28))
    submitted = await service.submit(applicant, body=submission(service.materials.upload_all(applicant)))
    mohrss = next(t for t in submitted.json()["tasks"] if t["department"] == "mohrss")
    collaborators.calendar = official_2027()

    await service.check_overdue(today=date(2026, 12, 28))
    number = submitted.json()["acceptance_number"]
    detail = await service.client.get(
        f"/api/v1/applications/{number}", headers=service.headers(applicant, "applicant")
    )

    assert submitted.json()["deadline_provisional"] and mohrss["deadline_provisional"]
    recomputed = next(t for t in detail.json()["tasks"] if t["department"] == "mohrss")
    assert not recomputed["deadline_provisional"] and not detail.json()["deadline_provisional"]
    explained = recomputed["deadline_explanation"]
    assert {"date": "2027-01-01", "name": "元旦"} in explained["holidays_skipped"]
    assert "国办发明电〔2026〕99号" in [source["reference"] for source in explained["calendar"]]
