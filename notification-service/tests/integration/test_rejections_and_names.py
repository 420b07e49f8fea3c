"""A rejected task tells the applicant at once, and messages name matters, items, materials and departments
in the reader's language (from the catalog's ``matter.published``) instead of showing their codes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from onematter_events import CloudEvent, new_event
from onematter_events import matters as matter_events
from onematter_kit.identity import Role
from onematter_notification.domain.templates import Ref
from onematter_testkit import internal_headers, make_principal, random_code, random_id, wait_for

pytestmark = pytest.mark.integration


def _published(matter: str, item: str, department: str, material: str) -> CloudEvent:
    return new_event(
        matter_events.MATTER_PUBLISHED,
        matter_events.MatterPublished(
            matter_code=matter,
            version=1,
            name_zh="新生儿出生一件事",
            name_en="Newborn birth",
            subject="individual",
            stage="birth",
            lead_department=department,
            items=[
                matter_events.PublishedItem(
                    code=item,
                    name_zh="社会保障卡申领",
                    name_en="Social security card application",
                    department=department,
                    kind="public-service",
                    committed_days=5,
                    statutory_days=20,
                    materials=[matter_events.ItemMaterial(material_type=material)],
                    form_fields=[],
                    department_name_zh="区人社局",
                    department_name_en="District Human Resources Bureau",
                )
            ],
            materials=[
                matter_events.MergedMaterial(
                    material_type=material,
                    name_zh="户口簿",
                    name_en="Household register",
                    key=True,
                    deferrable=True,
                    commitment_allowed=False,
                    licence=False,
                    items=[item],
                )
            ],
            form_schema={},
            field_items={},
            committed_days=5,
            published_at=datetime.now(UTC),
        ),
    )


async def _messages(client: httpx.AsyncClient, headers: dict[str, str], count: int) -> dict[str, Any] | None:
    response = await client.get("/api/v1/notifications", headers=headers)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    return {m["kind"]: m for m in items} if len(items) >= count else None


async def _names_known(app: FastAPI, item_code: str) -> bool:
    async with app.state.runtime.uow() as uow:
        return bool(await uow.names.lookup([Ref("item", item_code)]))


@pytest.fixture
def codes() -> dict[str, str]:
    return {
        "matter": random_code("matter"),
        "item": random_code("item"),
        "department": random_code("dept"),
        "material": random_code("material"),
    }


async def _published_matter(app: FastAPI, bus: Any, codes: dict[str, str]) -> None:
    await bus.publish(_published(codes["matter"], codes["item"], codes["department"], codes["material"]))
    await wait_for(lambda: _names_known(app, codes["item"]), timeout=30, message="the catalog names")


async def _applicant(client: httpx.AsyncClient, locale: str) -> tuple[str, dict[str, str]]:
    applicant = random_id("user")
    headers = internal_headers(make_principal(applicant, Role.applicant), audience="notification")
    response = await client.put("/api/v1/notifications/profile", json={"locale": locale}, headers=headers)
    assert response.status_code == 200, response.text
    return applicant, headers


async def test_a_rejected_task_tells_each_applicant_item_department_and_reason_by_name_in_their_language(
    app, client, bus, builders, codes
) -> None:
    await _published_matter(app, bus, codes)
    (zh, zh_headers), (en, en_headers) = await _applicant(client, "zh-CN"), await _applicant(client, "en")
    zh_accepted, en_accepted = (
        builders["accepted"](
            applicant_id=applicant,
            departments=[codes["department"]],
            matter_code=codes["matter"],
            item_codes=[codes["item"]],
            deferred_materials=[codes["material"]],
        )
        for applicant in (zh, en)
    )
    for accepted, reason in ((zh_accepted, "照片不清晰"), (en_accepted, "photo unreadable")):
        await bus.publish(accepted)
        await bus.publish(builders["rejected"](accepted, 0, reason))

    zh_found = await wait_for(lambda: _messages(client, zh_headers, 2), timeout=30, message="zh messages")
    en_found = await wait_for(lambda: _messages(client, en_headers, 2), timeout=30, message="en messages")

    rejection = zh_found["task.rejected"]
    assert rejection["locale"] == "zh-CN"
    assert zh_accepted.data["acceptance_number"] in rejection["subject"]
    assert "「社会保障卡申领」未通过区人社局的审核，原因：照片不清晰" in rejection["body"]
    acceptance = zh_found["application.accepted"]["body"]
    assert "「新生儿出生一件事」" in acceptance and "户口簿" in acceptance
    assert not any(code in m["body"] for m in zh_found.values() for code in codes.values())
    assert en_found["task.rejected"]["body"] == (
        f"The item Social security card application of application {en_accepted.data['acceptance_number']} "
        "was rejected by District Human Resources Bureau: photo unreadable."
    )
    assert "Your application for Newborn birth was accepted" in en_found["application.accepted"]["body"]
    assert "Household register" in en_found["application.accepted"]["body"]
