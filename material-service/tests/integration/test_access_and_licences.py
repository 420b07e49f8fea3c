"""Need-to-know access driven by real task events on Kafka, the access log, and licence issuance."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from onematter_events import CloudEvent, Stream, new_event, task_topic, topic_name
from onematter_events.applications import (
    TASK_ASSIGNED,
    TASK_COMPLETED,
    MaterialReference,
    TaskAssigned,
    TaskCompleted,
)
from onematter_events.materials import LICENCE_ISSUED
from onematter_events.matters import ItemResult
from onematter_kit.kafka import ensure_topics
from onematter_testkit import random_code, random_id, read_events, wait_for

from .helpers import applicant, headers, officer, pdf_bytes, publish, upload

pytestmark = pytest.mark.integration


def _assigned(
    *, task_id: str, application_id: str, department: str, applicant_id: str, material_id: str
) -> CloudEvent:
    return new_event(
        TASK_ASSIGNED,
        TaskAssigned(
            task_id=task_id,
            application_id=application_id,
            acceptance_number="ONE-2025-0001",
            matter_code="newborn",
            item_code="birth-cert",
            item_name_zh="出生医学证明",
            department=department,
            applicant_id=applicant_id,
            deadline=date(2030, 1, 10),
            form={},
            materials=[MaterialReference(material_type="id_card", material_id=material_id)],
            issues_licence="birth_medical_cert",
        ),
    )


def _approved(*, task_id: str, application_id: str, department: str, applicant_id: str) -> CloudEvent:
    return new_event(
        TASK_COMPLETED,
        TaskCompleted(
            task_id=task_id,
            application_id=application_id,
            acceptance_number="ONE-2025-0001",
            item_code="birth-cert",
            department=department,
            applicant_id=applicant_id,
            outcome="approved",
            completed_at=datetime.now(UTC),
            officer_id="officer-1",
            licence_type="birth_medical_cert",
            result=ItemResult(licence_type="birth_medical_cert", number_prefix="CSYXZM"),
        ),
    )


async def test_a_department_reads_a_material_only_while_its_task_is_open_and_approval_issues_a_licence(
    client: httpx.AsyncClient, kafka_bootstrap: str, topic_prefix: str
) -> None:
    owner, health, police = applicant("王小明"), random_code("health"), random_code("police")
    reader, outsider = officer(health), officer(police)
    material = (await upload(client, owner, pdf_bytes())).json()
    topic = task_topic(health, topic_prefix)
    await ensure_topics(kafka_bootstrap, [topic])
    ids = {
        "task_id": random_id("task"),
        "application_id": random_id("app"),
        "department": health,
        "applicant_id": owner.subject,
    }
    await publish(kafka_bootstrap, topic, _assigned(**ids, material_id=material["id"]))
    content_url = f"/api/v1/materials/{material['id']}/content"

    async def officer_can_read() -> httpx.Response | None:
        response = await client.get(content_url, headers=headers(reader))
        return response if response.status_code == 200 else None

    granted = await wait_for(officer_can_read, timeout=40, message="the grant from task.assigned")
    assert granted.content.startswith(b"%PDF-")
    assert (await client.get(content_url, headers=headers(outsider))).status_code == 404
    assert (
        await client.delete(f"/api/v1/materials/{material['id']}", headers=headers(owner))
    ).status_code == 409

    await publish(kafka_bootstrap, topic, _approved(**ids))

    async def grant_ended() -> bool:
        return (await client.get(content_url, headers=headers(reader))).status_code == 404

    await wait_for(grant_ended, timeout=30, message="the grant to end on task.completed")
    licences = (await client.get("/api/v1/licences", headers=headers(owner))).json()
    assert [lic["licence_type"] for lic in licences["items"]] == ["birth_medical_cert"]
    licence = licences["items"][0]
    assert licence["issuing_department"] == health and licence["status"] == "valid"
    issued = await read_events(
        kafka_bootstrap,
        topic_name(Stream.materials, topic_prefix),
        count=1,
        where=lambda e: e.type == LICENCE_ISSUED,
    )
    assert issued[0].data["holder_id"] == owner.subject and issued[0].data["task_id"] == ids["task_id"]

    log = (await client.get("/api/v1/materials/access-log", headers=headers(owner))).json()
    assert log["total"] >= 1
    assert {(e["reader_id"], e["department"], e["task_id"], e["action"]) for e in log["items"]} == {
        (reader.subject, health, ids["task_id"], "content")
    }

    verified = await client.get(
        f"/api/v1/licences/verify/{licence['verification_code']}", headers=headers(outsider)
    )
    assert verified.status_code == 200
    assert verified.json()["holder_name_masked"] == "王**"
    assert owner.subject not in verified.text
    assert (
        await client.delete(f"/api/v1/materials/{material['id']}", headers=headers(owner))
    ).status_code == 204


async def test_an_unknown_verification_code_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/licences/verify/NOSUCHCODE", headers=headers(applicant()))
    assert response.status_code == 404


async def test_an_officer_without_a_grant_never_sees_a_material(client: httpx.AsyncClient) -> None:
    material = (await upload(client, applicant(), pdf_bytes())).json()
    response = await client.get(f"/api/v1/materials/{material['id']}", headers=headers(officer("civil")))
    assert response.status_code == 404


#: 2026-12-01 04:04:52 in Beijing (issue 15's example).
LATE_EVENING_UTC = datetime(2026, 11, 30, 20, 4, 52, tzinfo=UTC)


@pytest.mark.parametrize("clock", [LATE_EVENING_UTC], indirect=True)
async def test_a_licence_issued_at_2026_11_30T20_04_52Z_is_dated_1_december_and_answers_in_0800(
    client: httpx.AsyncClient, kafka_bootstrap: str, topic_prefix: str
) -> None:
    owner, health = applicant("王小明"), random_code("health")
    material = (await upload(client, owner, pdf_bytes())).json()
    assert material["created_at"] == "2026-12-01T04:04:52+08:00"
    topic = task_topic(health, topic_prefix)
    await ensure_topics(kafka_bootstrap, [topic])
    ids = {"task_id": random_id("task"), "application_id": random_id("app"), "department": health}
    approved = _approved(**ids, applicant_id=owner.subject)
    late = approved.model_copy(
        update={"data": {**approved.data, "completed_at": LATE_EVENING_UTC.isoformat()}}
    )
    await publish(kafka_bootstrap, topic, late)

    async def issued() -> dict[str, Any] | None:
        items = (await client.get("/api/v1/licences", headers=headers(owner))).json()["items"]
        return items[0] if items else None

    licence = await wait_for(issued, timeout=40, message="the licence from task.completed")
    assert licence["valid_from"] == "2026-12-01" and "-20261201-" in licence["number"]
    assert licence["issued_at"] == "2026-12-01T04:04:52+08:00"


async def test_the_issuing_department_revokes_a_licence_and_verification_and_the_holder_see_it(
    client: httpx.AsyncClient, kafka_bootstrap: str, topic_prefix: str
) -> None:
    owner, health = applicant("王小明"), random_code("health")
    topic = task_topic(health, topic_prefix)
    await ensure_topics(kafka_bootstrap, [topic])
    ids = {"task_id": random_id("task"), "application_id": random_id("app"), "department": health}
    await publish(kafka_bootstrap, topic, _approved(**ids, applicant_id=owner.subject))

    async def issued() -> dict[str, Any] | None:
        items = (await client.get("/api/v1/licences", headers=headers(owner))).json()["items"]
        return items[0] if items else None

    licence = await wait_for(issued, timeout=40, message="the licence from task.completed")
    revoke_url = f"/api/v1/licences/{licence['id']}/revoke"
    reason = {"reason": "以欺骗手段取得"}
    outsider = await client.post(revoke_url, json=reason, headers=headers(officer(random_code("police"))))
    assert outsider.status_code == 404
    assert (await client.post(revoke_url, json=reason, headers=headers(owner))).status_code == 403

    revoked = await client.post(revoke_url, json=reason, headers=headers(officer(health)))

    assert revoked.status_code == 200, revoked.text
    assert (revoked.json()["status"], revoked.json()["status_reason"]) == ("revoked", "以欺骗手段取得")
    verify_url = f"/api/v1/licences/verify/{licence['verification_code']}"
    verified = (await client.get(verify_url, headers=headers(owner))).json()
    assert (verified["status"], verified["issuing_department"]) == ("revoked", health)
    assert verified["issued_on"] == licence["valid_from"]
    held = (await client.get("/api/v1/licences", headers=headers(owner))).json()["items"][0]
    assert held["status"] == "revoked" and held["status_reason"] == "以欺骗手段取得"
    again = await client.post(revoke_url, json=reason, headers=headers(officer(health)))
    assert again.status_code == 409
