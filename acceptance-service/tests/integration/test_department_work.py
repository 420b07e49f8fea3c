"""Department work, completion, supplements, withdrawal, reviews and object-level authorization."""

from __future__ import annotations

import pytest
from acceptance_testing import submission
from onematter_events import Stream, task_topic, topic_name
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


async def _request_supplement(service, task: dict, kind: str) -> None:
    response = await service.client.post(
        f"/api/v1/tasks/{task['id']}/request-supplement",
        json={"materials": [kind], "reason": "不清晰"},
        headers=_officer(service, task["department"]),
    )
    assert response.status_code == 200, response.text


async def test_when_every_department_approves_the_application_is_completed_once(service):
    applicant, application = await _accepted(service)
    number = application["acceptance_number"]

    for task in application["tasks"]:
        response = await service.client.post(
            f"/api/v1/tasks/{task['id']}/approve", json={}, headers=_officer(service, task["department"])
        )
        assert response.status_code == 200, response.text
    detail = (
        await service.client.get(
            f"/api/v1/applications/{number}", headers=service.headers(applicant, "applicant")
        )
    ).json()

    assert detail["status"] == "completed"
    assert [e["kind"] for e in detail["timeline"]].count("completed") == 1
    [done] = await read_events(
        service.kafka,
        topic_name(Stream.applications, service.prefix),
        count=1,
        where=lambda e: e.type == "gov.onematter.application.completed",
    )
    assert done.data["outcome"] == "approved"


async def test_a_rejected_task_completes_the_application_with_rejections_and_reasons(service):
    applicant, application = await _accepted(service)
    tasks = application["tasks"]
    for task in tasks[1:]:
        await service.client.post(
            f"/api/v1/tasks/{task['id']}/approve", headers=_officer(service, task["department"])
        )

    response = await service.client.post(
        f"/api/v1/tasks/{tasks[0]['id']}/reject",
        json={"reason": "信息不符"},
        headers=_officer(service, tasks[0]["department"]),
    )
    detail = (
        await service.client.get(
            f"/api/v1/applications/{application['acceptance_number']}",
            headers=service.headers(applicant, "applicant"),
        )
    ).json()

    assert response.status_code == 200
    assert detail["status"] == "completed_with_rejections"
    assert detail["rejections"][0]["reason"] == "信息不符"


async def test_a_rejection_without_a_reason_is_refused(service):
    _, application = await _accepted(service)
    task = _task(application, "mps")

    response = await service.client.post(
        f"/api/v1/tasks/{task['id']}/reject", json={}, headers=_officer(service, "mps")
    )

    assert response.status_code == 422


async def test_an_officer_of_one_department_cannot_read_or_act_on_another_departments_task(service):
    _, application = await _accepted(service)
    mps_task = _task(application, "mps")
    nhc = _officer(service, "nhc")

    approve = await service.client.post(f"/api/v1/tasks/{mps_task['id']}/approve", headers=nhc)
    read = await service.client.get(f"/api/v1/tasks/{mps_task['id']}", headers=nhc)
    listed = (await service.client.get("/api/v1/tasks", headers=nhc)).json()

    detail = (
        await service.client.get(f"/api/v1/applications/{application['acceptance_number']}", headers=nhc)
    ).json()

    assert (approve.status_code, read.status_code) == (404, 404)
    assert {t["department"] for t in listed["items"]} == {"nhc"}
    assert [t["department"] for t in detail["tasks"]] == ["nhc"]
    assert "household_address" not in detail["form"] and "hukou_book" not in detail["materials"]


async def test_supplements_of_two_departments_merge_and_only_the_waiting_tasks_resume(service):
    applicant, application = await _accepted(service)
    number = application["acceptance_number"]
    for department in ("mps", "mohrss"):
        response = await service.client.post(
            f"/api/v1/tasks/{_task(application, department)['id']}/request-supplement",
            json={"materials": ["hukou_book"], "reason": f"{department}: 户口簿页不清晰"},
            headers=_officer(service, department),
        )
        assert response.status_code == 200, response.text
    waiting = (
        await service.client.get(
            f"/api/v1/applications/{number}", headers=service.headers(applicant, "applicant")
        )
    ).json()
    new_book = service.materials.upload(applicant, "hukou_book")

    answer = await service.client.post(
        f"/api/v1/applications/{number}/supplements",
        json={"materials": {"hukou_book": new_book}},
        headers=service.headers(applicant, "applicant"),
    )

    assert waiting["status"] == "waiting_supplement"
    assert waiting["open_supplement"]["hukou_book"]["departments"] == ["mps", "mohrss"]
    assert answer.status_code == 200, answer.text
    assert sorted(answer.json()["resumed_task_ids"]) == sorted(
        _task(application, d)["id"] for d in ("mps", "mohrss")
    )
    assert answer.json()["status"] == "in_progress"
    events = await read_events(
        service.kafka,
        topic_name(Stream.applications, service.prefix),
        count=2,
        where=lambda e: "supplement-requested" in e.type,
    )
    assert [i["material_type"] for i in events[-1].data["items"]] == ["hukou_book"]


async def test_supplement_received_names_each_resumed_task_with_only_the_supplied_materials_it_needs(service):
    applicant, application = await _accepted(service)
    number = application["acceptance_number"]
    asked = {"mps": "hukou_book", "ndcpa": "birth_medical_cert"}
    for department, kind in asked.items():
        await _request_supplement(service, _task(application, department), kind)
    supplied = {kind: service.materials.upload(applicant, kind) for kind in asked.values()}

    answer = await service.client.post(
        f"/api/v1/applications/{number}/supplements",
        json={"materials": supplied},
        headers=service.headers(applicant, "applicant"),
    )

    assert answer.status_code == 200, answer.text
    [event] = await read_events(
        service.kafka,
        topic_name(Stream.applications, service.prefix),
        count=1,
        where=lambda e: "supplement-received" in e.type,
    )
    by_department = {t["department"]: t for t in event.data["resumed_tasks"]}
    # mps's item needs both (出生医学证明 and 户口簿); ndcpa's only 出生医学证明; nhsa was not waiting.
    assert by_department == {
        "mps": {
            "task_id": _task(application, "mps")["id"],
            "department": "mps",
            "material_ids": sorted(supplied.values()),
        },
        "ndcpa": {
            "task_id": _task(application, "ndcpa")["id"],
            "department": "ndcpa",
            "material_ids": [supplied["birth_medical_cert"]],
        },
    }
    assert sorted(event.data["resumed_task_ids"]) == sorted(t["task_id"] for t in by_department.values())


async def test_a_submission_reads_all_its_materials_in_one_call_to_the_material_service(service):
    applicant = random_id("zhangsan")
    body = submission(service.materials.upload_all(applicant))
    service.materials.calls.clear()

    response = await service.submit(applicant, body=body)

    assert response.status_code == 201, response.text
    assert sorted(service.materials.calls) == ["/api/v1/licences", "/api/v1/materials"]


async def test_an_approval_emits_task_completed_with_the_licence_its_item_declares(service):
    _, application = await _accepted(service)
    task = _task(application, "nhc")

    refused = await service.client.post(
        f"/api/v1/tasks/{task['id']}/approve",
        headers=_officer(service, "nhc"),
        json={"licence_type": "marriage_cert", "licence_number": "X1", "licence_valid_until": "2099-12-31"},
    )
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    own_number = await service.client.post(
        f"/api/v1/tasks/{task['id']}/approve",
        headers=_officer(service, "nhc"),
        json={"licence_type": "birth_medical_cert", "licence_number": "N-1"},
    )
    assert own_number.status_code == 422, own_number.text
    await service.client.post(
        f"/api/v1/tasks/{task['id']}/approve",
        headers=_officer(service, "nhc"),
        json={"licence_type": "birth_medical_cert"},
    )

    [event] = await read_events(
        service.kafka,
        task_topic("nhc", service.prefix),
        count=1,
        where=lambda e: e.type == "gov.onematter.task.completed",
    )
    assert (event.data["outcome"], event.data["licence_type"]) == ("approved", "birth_medical_cert")
    assert event.data["licence_number"] is None and event.data["result"]["number_prefix"] == "CSYXZM"
