"""What the reference front-end reads: materials already covered before upload (免证办, 一套材料), the
clerk's view for the applicant at the counter (帮办代办), the workbench queue's overdue filter and
deadlines, and the review shown back on the application."""

from __future__ import annotations

from datetime import date

import pytest
from acceptance_testing import submission
from onematter_testkit import random_id

pytestmark = pytest.mark.integration


def _pin(service, day: date) -> None:
    service.pin(day)


async def _prefill(service, headers: dict[str, str], **params: str):
    return await service.client.get(
        "/api/v1/applications/prefill", params={"matter_code": "newborn-birth", **params}, headers=headers
    )


async def test_prefill_says_which_materials_a_licence_or_an_earlier_material_already_covers(service):
    applicant = random_id("zhangsan")
    uploaded = service.materials.upload_all(applicant)
    assert (await service.submit(applicant, body=submission(uploaded))).status_code == 201
    licence_id = service.materials.grant_licence(applicant, "hukou_book")
    del service.materials.materials[uploaded["photo"]]  # deleted since: no longer covers anything

    response = await _prefill(service, service.headers(applicant, "applicant"))

    materials = {m["material_type"]: m for m in response.json()["materials"]}
    assert response.status_code == 200
    assert list(materials) == ["id_card", "marriage_cert", "birth_medical_cert", "hukou_book", "photo"]
    assert materials["hukou_book"]["covered_by"] == "licence"
    assert (
        materials["hukou_book"]["licence_id"] == licence_id and materials["hukou_book"]["material_id"] is None
    )
    assert materials["id_card"]["covered_by"] == "earlier_material"
    assert materials["id_card"]["material_id"] == uploaded["id_card"]
    assert materials["photo"]["covered_by"] is None and materials["photo"]["deferrable"] is True
    assert materials["id_card"]["name_zh"] == "居民身份证"


async def test_a_clerk_prefills_for_the_applicant_at_the_counter_only_under_a_delegation(service):
    applicant = random_id("zhangsan")
    service.materials.grant_licence(applicant, "id_card")
    clerk = service.headers("clerk01", "clerk")
    without = await _prefill(service, clerk, on_behalf_of=applicant)
    await service.grant(applicant, "clerk01", actions=("read",))

    for_applicant = await _prefill(service, clerk, on_behalf_of=applicant)
    for_nobody = await _prefill(service, clerk)

    assert without.status_code == 403 and without.headers["content-type"].startswith(
        "application/problem+json"
    )

    assert for_applicant.status_code == 200 and for_applicant.json()["applicant_id"] == applicant
    assert (
        next(m for m in for_applicant.json()["materials"] if m["material_type"] == "id_card")["covered_by"]
        == "licence"
    )
    assert for_nobody.status_code == 422


async def test_the_workbench_queue_filters_overdue_tasks_and_counts_working_days_left(service):
    applicant = random_id("zhangsan")
    _pin(service, date(2025, 9, 25))  # Thursday; the 1-day tasks are due Friday 09-26
    submitted = await service.submit(applicant, body=submission(service.materials.upload_all(applicant)))
    assert submitted.status_code == 201
    _pin(service, date(2025, 9, 29))
    nhc = service.headers("officer-nhc", "officer", department="nhc")
    mohrss = service.headers("officer-mohrss", "officer", department="mohrss")

    [late] = (await service.client.get("/api/v1/tasks", params={"overdue": "true"}, headers=nhc)).json()[
        "items"
    ]
    not_late = (await service.client.get("/api/v1/tasks", params={"overdue": "false"}, headers=nhc)).json()
    [running] = (
        await service.client.get("/api/v1/tasks", params={"overdue": "false"}, headers=mohrss)
    ).json()["items"]
    detail = (await service.client.get(f"/api/v1/tasks/{late['id']}", headers=nhc)).json()

    assert late["overdue"] is True and not_late["total"] == 0
    assert late["working_days_left"] == -2  # 调休 Sunday 09-28 and Monday 09-29 past the deadline
    assert running["overdue"] is False and running["working_days_left"] == 7  # due 10-15, National Day off
    assert (detail["applicant_id"], detail["matter_code"], detail["matter_version"]) == (
        applicant,
        "newborn-birth",
        1,
    )
    assert detail["form"]["mother_name"] == "李梅" and {m["material_type"] for m in detail["materials"]} == {
        "id_card",
        "marriage_cert",
    }


async def test_the_task_queue_finds_an_application_by_its_acceptance_number(service):
    applicant = random_id("zhangsan")
    number = (
        await service.submit(applicant, body=submission(service.materials.upload_all(applicant)))
    ).json()["acceptance_number"]
    await service.submit(applicant, body=submission(service.materials.upload_all(applicant)))
    nhc = service.headers("officer-nhc", "officer", department="nhc")

    found = (
        await service.client.get("/api/v1/tasks", params={"acceptance_number": number}, headers=nhc)
    ).json()

    assert [t["acceptance_number"] for t in found["items"]] == [number]


async def test_the_application_shows_its_review_once_given(service):
    applicant = random_id("zhangsan")
    application = (
        await service.submit(applicant, body=submission(service.materials.upload_all(applicant)))
    ).json()
    for task in application["tasks"]:
        officer = service.headers("o", "officer", department=task["department"])
        await service.client.post(f"/api/v1/tasks/{task['id']}/approve", json={}, headers=officer)
    path = f"/api/v1/applications/{application['acceptance_number']}"
    mine = service.headers(applicant, "applicant")
    before = (await service.client.get(path, headers=mine)).json()

    await service.client.post(f"{path}/review", json={"level": 5, "comment": "很快"}, headers=mine)
    after = (await service.client.get(path, headers=mine)).json()

    assert before["review"] is None
    assert after["review"]["level"] == 5 and after["review"]["label"] == "非常满意"
    assert all(t["on_time"] is True and t["working_days_left"] is None for t in after["tasks"])


async def test_the_officer_sees_the_number_and_verification_code_of_a_licence_that_replaced_a_material(
    service,
):
    applicant = random_id("zhangsan")
    service.materials.grant_licence(applicant, "hukou_book")
    [licence] = service.materials.licences[applicant]
    uploaded = service.materials.upload_all(
        applicant, ["id_card", "marriage_cert", "birth_medical_cert", "photo"]
    )
    application = (await service.submit(applicant, body=submission(uploaded))).json()
    mps = next(t for t in application["tasks"] if t["department"] == "mps")

    detail = await service.client.get(
        f"/api/v1/tasks/{mps['id']}", headers=service.headers("o", "officer", department="mps")
    )

    hukou = next(m for m in detail.json()["materials"] if m["material_type"] == "hukou_book")
    assert hukou["licence_id"] == licence["id"] and hukou["licence_number"] == licence["number"]
    assert hukou["licence_verification_code"] == licence["verification_code"]
    assert all(m["licence_number"] is None for m in detail.json()["materials"] if m["material_id"])
