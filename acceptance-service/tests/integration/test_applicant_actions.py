"""What the applicant (and the file) sees after acceptance: withdrawal, reviews, prefill, explained
deadlines, and that one applicant cannot read another's application."""

from __future__ import annotations

import pytest
from acceptance_testing import submission
from onematter_events import task_topic
from onematter_testkit import random_id, read_events

pytestmark = pytest.mark.integration


async def _accepted(service, applicant: str | None = None) -> tuple[str, dict]:
    applicant = applicant or random_id("zhangsan")
    response = await service.submit(applicant, body=submission(service.materials.upload_all(applicant)))
    assert response.status_code == 201, response.text
    return applicant, response.json()


def _task(application: dict, department: str) -> dict:
    return next(t for t in application["tasks"] if t["department"] == department)


def _officer(service, department: str) -> dict[str, str]:
    return service.headers(f"officer-{department}", "officer", department=department)


async def test_an_applicant_cannot_read_another_applicants_application(service):
    _, application = await _accepted(service)

    response = await service.client.get(
        f"/api/v1/applications/{application['acceptance_number']}",
        headers=service.headers(random_id("lisi"), "applicant"),
    )
    withdraw = await service.client.post(
        f"/api/v1/applications/{application['acceptance_number']}/withdraw",
        headers=service.headers(random_id("lisi"), "applicant"),
    )

    assert (response.status_code, withdraw.status_code) == (404, 404)


async def test_withdrawal_cancels_open_tasks_and_tells_their_departments(service):
    applicant, application = await _accepted(service)

    response = await service.client.post(
        f"/api/v1/applications/{application['acceptance_number']}/withdraw",
        headers=service.headers(applicant, "applicant"),
    )

    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert {t["status"] for t in response.json()["tasks"]} == {"cancelled"}
    await read_events(
        service.kafka,
        task_topic("nhsa", service.prefix),
        count=1,
        where=lambda e: e.type == "gov.onematter.task.cancelled",
    )


async def test_a_bad_review_after_completion_opens_a_rectification_the_supervisor_sees(service):
    applicant, application = await _accepted(service)
    number = application["acceptance_number"]
    early = await service.client.post(
        f"/api/v1/applications/{number}/review",
        json={"level": 1},
        headers=service.headers(applicant, "applicant"),
    )
    for task in application["tasks"]:
        await service.client.post(
            f"/api/v1/tasks/{task['id']}/approve", headers=_officer(service, task["department"])
        )

    review = await service.client.post(
        f"/api/v1/applications/{number}/review",
        json={"level": 2, "comment": "跑了两次"},
        headers=service.headers(applicant, "applicant"),
    )
    again = await service.client.post(
        f"/api/v1/applications/{number}/review",
        json={"level": 5},
        headers=service.headers(applicant, "applicant"),
    )
    listed = await service.client.get("/api/v1/rectifications", headers=service.headers("sup", "supervisor"))

    assert early.status_code == 409
    assert review.status_code == 201 and review.json()["label"] == "不满意"
    assert review.json()["rectification"]["department"] == "nhc"
    assert again.status_code == 409
    assert [r["acceptance_number"] for r in listed.json()["items"]] == [number]


async def test_prefill_returns_what_earlier_applications_and_licences_already_told(service):
    applicant, _ = await _accepted(service)

    response = await service.client.get(
        "/api/v1/applications/prefill",
        params={"matter_code": "newborn-birth"},
        headers=service.headers(applicant, "applicant"),
    )

    assert response.status_code == 200
    assert response.json()["values"]["contact_phone"] == "13800000000"
    assert "child_name" not in response.json()["values"]  # the first case's child is not offered again


async def test_the_application_explains_its_deadlines_and_pins_its_matter_version(service):
    _, application = await _accepted(service)

    explanation = _task(application, "mohrss")["deadline_explanation"]

    assert application["matter"] == {"code": "newborn-birth", "version": 1, "name_zh": "新生儿出生一件事"}
    assert (
        explanation["working_days"] == 10 and explanation["due"] == _task(application, "mohrss")["deadline"]
    )
    assert application["timeline"][0]["kind"] == "accepted"


async def test_a_list_limit_above_100_is_refused(service):
    response = await service.client.get(
        "/api/v1/applications", params={"limit": 101}, headers=service.headers("x", "applicant")
    )

    assert response.status_code == 422
