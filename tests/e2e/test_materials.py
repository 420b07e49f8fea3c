"""Material sharing through the gateway: upload once, need-to-know access driven by real task events, the
owner's access log, and the electronic licence an approval issues (免证办)."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

import httpx
import pytest
from onematter_events import Stream, new_event, task_topic, topic_name
from onematter_events.applications import (
    TASK_ASSIGNED,
    TASK_COMPLETED,
    MaterialReference,
    TaskAssigned,
    TaskCompleted,
)
from onematter_events.materials import LICENCE_ISSUED
from onematter_events.matters import ItemResult
from onematter_testkit import publish_event, random_id, read_events, wait_for

pytestmark = pytest.mark.e2e


async def test_an_officer_reads_a_material_only_while_the_task_is_open_and_approval_issues_a_licence(
    system,
) -> None:  # type: ignore[no-untyped-def]
    pdf = b"%PDF-1.7\n" + secrets.token_bytes(4096)
    task = {
        "task_id": random_id("task"),
        "application_id": random_id("app"),
        "department": "nhc",
        "applicant_id": "zhangsan",
        "acceptance_number": "E2E-0001",
    }
    async with system.client() as client:
        owner = await system.auth("zhangsan")
        nhc, mps = await system.auth("officer-nhc"), await system.auth("officer-mps")
        uploaded = await client.post(
            "/api/v1/materials",
            headers=owner,
            data={"material_type": "id_card"},
            files={"file": ("../../etc/passwd", pdf, "application/pdf")},
        )
        assert uploaded.status_code == 201, uploaded.text
        material = uploaded.json()
        content_url = f"/api/v1/materials/{material['id']}/content"
        assert (await client.get(content_url, headers=nhc)).status_code == 404

        await publish_event(
            system.kafka_bootstrap,
            task_topic("nhc", system.topic_prefix),
            new_event(
                TASK_ASSIGNED,
                TaskAssigned(
                    **task,
                    matter_code="newborn",
                    item_code="nhc-birth-medical-cert",
                    item_name_zh="出生医学证明",
                    deadline=date(2030, 1, 10),
                    form={},
                    issues_licence="birth_medical_cert",
                    materials=[MaterialReference(material_type="id_card", material_id=material["id"])],
                ),
            ),
            create_topic=True,
        )

        async def nhc_reads() -> httpx.Response | None:
            response = await client.get(content_url, headers=nhc)
            return response if response.status_code == 200 else None

        assert (await wait_for(nhc_reads, timeout=60, message="the grant")).content == pdf
        assert (await client.get(content_url, headers=mps)).status_code == 404

        await publish_event(
            system.kafka_bootstrap,
            task_topic("nhc", system.topic_prefix),
            new_event(
                TASK_COMPLETED,
                TaskCompleted(
                    **task,
                    item_code="nhc-birth-medical-cert",
                    outcome="approved",
                    completed_at=datetime.now(UTC),
                    officer_id="officer-nhc",
                    licence_type="birth_medical_cert",
                    # Issue 16: a licence is issued only as the item's declared result (办理结果).
                    result=ItemResult(licence_type="birth_medical_cert", number_prefix="CSYXZM"),
                ),
            ),
            create_topic=True,
        )

        async def licence() -> dict | None:  # type: ignore[type-arg]
            items = (await client.get("/api/v1/licences", headers=owner)).json()["items"]
            return next((lic for lic in items if lic["licence_type"] == "birth_medical_cert"), None)

        issued = await wait_for(licence, timeout=60, message="the licence")
        assert (await client.get(content_url, headers=nhc)).status_code == 404
        log = (await client.get("/api/v1/materials/access-log", headers=owner)).json()["items"]
        assert any(e["reader_id"] == "officer-nhc" and e["task_id"] == task["task_id"] for e in log)
        verified = await client.get(f"/api/v1/licences/verify/{issued['verification_code']}")  # no token
        assert verified.status_code == 200 and verified.json()["number"] == issued["number"]
        # Only what the licence shows: no holder id; the name (if the gateway forwarded one) masked.
        assert "zhangsan" not in verified.text and verified.json()["holder_name_masked"] in (None, "张*")
    events = await read_events(
        system.kafka_bootstrap,
        topic_name(Stream.materials, system.topic_prefix),
        count=1,
        where=lambda e: e.type == LICENCE_ISSUED and e.data["task_id"] == task["task_id"],
    )
    assert events[0].data["holder_id"] == "zhangsan"


async def test_a_png_declared_as_pdf_is_refused_through_the_gateway(system) -> None:  # type: ignore[no-untyped-def]
    png = b"\x89PNG\r\n\x1a\n" + secrets.token_bytes(512)
    async with system.client() as client:
        response = await client.post(
            "/api/v1/materials",
            headers=await system.auth("lisi"),
            data={"material_type": "photo"},
            files={"file": ("photo.pdf", png, "application/pdf")},
        )
    assert response.status_code == 415
    assert response.headers["content-type"].startswith("application/problem+json")
