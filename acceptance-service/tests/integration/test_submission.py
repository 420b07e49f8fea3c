"""Submitting: one application, one number, five tasks on five department topics."""

from __future__ import annotations

import asyncio

import pytest
from acceptance_testing import submission
from onematter_events import Stream, task_topic, topic_name
from onematter_testkit import random_id, read_events

pytestmark = pytest.mark.integration
DEPARTMENTS = ["nhc", "ndcpa", "mps", "nhsa", "mohrss"]


async def test_an_accepted_application_sends_one_task_to_each_of_five_department_topics(service):
    zhangsan = random_id("zhangsan")
    response = await service.submit(zhangsan, body=submission(service.materials.upload_all(zhangsan)))

    assert response.status_code == 201, response.text
    application = response.json()
    assert application["acceptance_number"].startswith("YJS-")
    assert sorted(t["department"] for t in application["tasks"]) == sorted(DEPARTMENTS)
    for department in DEPARTMENTS:
        [event] = await read_events(service.kafka, task_topic(department, service.prefix), count=1)
        assert event.type == "gov.onematter.task.assigned"
        assert event.data["acceptance_number"] == application["acceptance_number"]
        assert event.data["department"] == department
    [accepted] = await read_events(service.kafka, topic_name(Stream.applications, service.prefix), count=1)
    assert accepted.data["acceptance_number"] == application["acceptance_number"]


async def test_a_task_event_carries_only_the_fields_and_materials_of_its_item(service):
    zhangsan = random_id("zhangsan")
    materials = service.materials.upload_all(zhangsan)
    await service.submit(zhangsan, body=submission(materials))

    [event] = await read_events(service.kafka, task_topic("nhsa", service.prefix), count=1)

    assert set(event.data["form"]) == {"child_name", "household_address", "contact_phone"}
    assert event.data["materials"] == [
        {
            "material_type": "hukou_book",
            "material_id": materials["hukou_book"],
            "licence_id": None,
            "by_commitment": False,
            "deferred": False,
            "licence_number": None,
            "licence_verification_code": None,
        }
    ]


async def test_the_same_idempotency_key_twice_gives_one_application(service):
    zhangsan = random_id("zhangsan")
    body = submission(service.materials.upload_all(zhangsan))

    first = await service.submit(zhangsan, key="k-1", body=body)
    second = await service.submit(zhangsan, key="k-1", body=body)
    listed = await service.client.get("/api/v1/applications", headers=service.headers(zhangsan, "applicant"))

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["acceptance_number"] == second.json()["acceptance_number"]
    assert listed.json()["total"] == 1


async def test_the_same_idempotency_key_with_another_body_is_a_conflict(service):
    zhangsan = random_id("zhangsan")
    body = submission(service.materials.upload_all(zhangsan))
    await service.submit(zhangsan, key="k-2", body=body)

    response = await service.submit(zhangsan, key="k-2", body={**body, "channel": "kiosk"})

    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_two_concurrent_identical_submissions_create_one_application(service):
    zhangsan = random_id("zhangsan")
    body = submission(service.materials.upload_all(zhangsan))

    responses = await asyncio.gather(*(service.submit(zhangsan, key="same", body=body) for _ in range(5)))

    assert {r.json()["acceptance_number"] for r in responses} and all(
        r.status_code in (200, 201) for r in responses
    )
    assert len({r.json()["acceptance_number"] for r in responses}) == 1
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 200, 201]


async def _fifty_distinct_numbers(service) -> None:
    applicants = [random_id("p") for _ in range(50)]
    bodies = [submission(service.materials.upload_all(a)) for a in applicants]

    responses = await asyncio.gather(*(service.submit(a, body=b) for a, b in zip(applicants, bodies)))

    assert [r.status_code for r in responses] == [201] * 50, [
        r.text for r in responses if r.status_code != 201
    ][:1]
    assert len({r.json()["acceptance_number"] for r in responses}) == 50


async def test_fifty_concurrent_submissions_get_fifty_distinct_acceptance_numbers_on_postgresql(service):
    await _fifty_distinct_numbers(service)


async def test_fifty_concurrent_submissions_get_fifty_distinct_acceptance_numbers_on_sqlite(sqlite_service):
    await _fifty_distinct_numbers(sqlite_service)


async def test_a_missing_key_material_and_bad_form_fields_are_named_in_one_422(service):
    zhangsan = random_id("zhangsan")
    materials = service.materials.upload_all(
        zhangsan, ["id_card", "birth_medical_cert", "hukou_book", "photo"]
    )
    body = submission(materials, form={"child_name": "", "child_birth_date": "2026-02-30"})

    response = await service.submit(zhangsan, body=body)

    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {
        "materials.marriage_cert",
        "form.child_name",
        "form.child_birth_date",
        "form.mother_name",
    } <= fields


async def test_a_deferrable_material_is_accepted_under_rongque_with_a_supplement_due_date(service):
    zhangsan = random_id("zhangsan")
    materials = service.materials.upload_all(
        zhangsan, ["id_card", "marriage_cert", "birth_medical_cert", "hukou_book"]
    )
    response = await service.submit(zhangsan, body=submission(materials))

    assert response.status_code == 201, response.text
    assert response.json()["deferred_materials"] == ["photo"]
    assert response.json()["supplement_due"] is not None


async def test_a_licence_held_satisfies_a_material_without_upload(service):
    zhangsan = random_id("zhangsan")
    licence = service.materials.grant_licence(zhangsan, "id_card")
    materials = service.materials.upload_all(
        zhangsan, ["marriage_cert", "birth_medical_cert", "hukou_book", "photo"]
    )

    response = await service.submit(zhangsan, body=submission(materials))

    assert response.status_code == 201, response.text
    assert response.json()["materials"]["id_card"]["licence_id"] == licence


async def test_a_clerk_submits_under_a_delegation_for_an_applicant_who_then_owns_the_application(service):
    lisi = random_id("lisi")
    body = submission(service.materials.upload_all(lisi), channel="window", on_behalf_of=lisi)
    refused = await service.submit(lisi, body=body, caller=("clerk",), caller_id="clerk01")
    await service.grant(lisi, "clerk01")

    response = await service.submit(lisi, body=body, caller=("clerk",), caller_id="clerk01")
    mine = await service.client.get(
        f"/api/v1/applications/{response.json()['acceptance_number']}",
        headers=service.headers(lisi, "applicant"),
    )

    assert refused.status_code == 403, refused.text
    assert response.status_code == 201 and response.json()["applicant_id"] == lisi
    assert mine.status_code == 200


async def test_an_applicant_cannot_submit_for_someone_else(service):
    zhangsan = random_id("zhangsan")
    body = submission(service.materials.upload_all(zhangsan), on_behalf_of="someone-else")

    response = await service.submit(zhangsan, body=body)

    assert response.status_code == 403
