"""补正 due dates on PostgreSQL and Kafka (issue 15): the due-date round claims with SKIP LOCKED, so
replicas remind once and end the task once; the task answer explains the due date and the closed pause.

Calendar 国办发明电〔2024〕12号: 国庆 10-01..10-08 off, Saturday 10-11 worked.
"""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from acceptance_testing import submission
from onematter_acceptance.service_layer.commands import CheckDueDates
from onematter_acceptance.service_layer.duedates import check_due_dates
from onematter_events import task_topic
from onematter_testkit import random_id, read_events

pytestmark = pytest.mark.integration
DUE_TYPES = ("gov.onematter.task.supplement-reminder", "gov.onematter.task.supplement-expired")


async def _round(service, today: date) -> int:
    uow = service.app.state.runtime.uow()
    return await check_due_dates(CheckDueDates(today=today), uow, calendar=service.collaborators.calendar)


async def test_replicas_remind_once_and_end_an_unanswered_supplement_once(service):
    applicant = random_id("zhangsan")
    service.pin(date(2025, 9, 30))
    application = (
        await service.submit(applicant, body=submission(service.materials.upload_all(applicant)))
    ).json()
    mps = next(t for t in application["tasks"] if t["department"] == "mps")
    officer = service.headers("officer-mps", "officer", department="mps")
    service.pin(date(2025, 10, 9))
    requested = await service.client.post(
        f"/api/v1/tasks/{mps['id']}/request-supplement",
        headers=officer,
        json={"materials": ["hukou_book"], "reason": "不清晰"},
    )
    assert requested.json()["supplement_due_on"] == "2025-10-15"  # 10-10, Sat 10-11, 10-13, 14, 15

    service.pin(date(2025, 10, 14))
    reminders = await asyncio.gather(*(_round(service, date(2025, 10, 14)) for _ in range(3)))
    service.pin(date(2025, 10, 16))
    expiries = await asyncio.gather(*(_round(service, date(2025, 10, 16)) for _ in range(3)))

    assert sum(reminders) == 1 and sum(expiries) == 1
    task = (await service.client.get(f"/api/v1/tasks/{mps['id']}", headers=officer)).json()
    assert (task["status"], task["supplement_due_on"]) == ("not_accepted", None)
    explained = task["deadline_explanation"]
    # the pause is closed on the due date: (10-09, 10-15] holds 10-10, 11, 13, 14, 15
    assert explained["pauses"] == [{"from": "2025-10-09", "to": "2025-10-15", "working_days": 5}]
    assert explained["due"] == "2025-10-15"
    [due] = explained["due_dates"]
    assert (due["due_for"], due["due_on"], due["state"], due["consequence_zh"]) == (
        "supplement",
        "2025-10-15",
        "expired",
        "不予受理",
    )
    events = await read_events(
        service.kafka,
        task_topic("mps", service.prefix),
        count=2,
        where=lambda e: e.type in DUE_TYPES and e.data["task_id"] == mps["id"],
    )
    assert [e.type for e in events] == list(DUE_TYPES)
