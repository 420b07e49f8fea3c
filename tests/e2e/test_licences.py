"""Licences come from the catalog, not from the officer (issue 16, bullet 2), through the gateway with the
real services, Kafka and PostgreSQL.

The attack of the issue: ``officer-mohrss`` approves its own task of zhangsan's 新生儿出生一件事 naming a
marriage certificate with its own number and a validity to 2099 — refused with problem+json, the task still
running, no such licence ever issued. The allowed path: the same officer approves with nothing to say, and
the item's declared result (社会保障卡申领 → social_security_card) is issued with a generated number
``SBK-<issue date in China>-<6 digits>``, valid ten years, about the newborn and held by zhangsan. Then the
issuing department revokes it (吊销) and public verification says so; another department cannot.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from onematter_testkit import wait_for
from onematter_testkit.applicant import form_from_schema, submit_application, upload_material

pytestmark = pytest.mark.e2e

MATTER = "newborn-birth"
#: From the seed (key-matters-2024-batch1.yaml, licence_rules): the social security card's number prefix
#: and validity (the third-generation card is valid ten years).
CARD_PREFIX, CARD_YEARS = "SBK", 10


def _china_today() -> date:
    # Independent of the code under test: the date in Beijing read from the system clock here.
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()


def _is_problem(response: httpx.Response, status: int) -> bool:
    return response.status_code == status and response.headers["content-type"].startswith(
        "application/problem+json"
    )


async def _newborn_application(client: httpx.AsyncClient, zhangsan: dict[str, str], newborn: str) -> Any:
    matter = (await client.get(f"/api/v1/matters/{MATTER}")).json()
    materials = {
        m["material_type"]: await upload_material(client, zhangsan, m["material_type"])
        for m in matter["materials"]
    }
    body = {
        "matter_code": MATTER,
        "form": {**form_from_schema(matter["form_schema"]), "newborn_name": newborn},
        "materials": materials,
        "channel": "online",
    }
    response = await submit_application(client, zhangsan, body)
    assert response.status_code == 201, response.text
    return response.json()


async def _licences_of_task(client: httpx.AsyncClient, holder: dict[str, str], task_id: str) -> list[Any]:
    items = (await client.get("/api/v1/licences", headers=holder, params={"limit": 100})).json()["items"]
    return [lic for lic in items if lic["task_id"] == task_id]


async def test_an_officer_cannot_issue_a_licence_its_item_does_not_declare_and_the_declared_one_is_issued(
    system,
) -> None:  # type: ignore[no-untyped-def]
    newborn = "张" + secrets.choice("明华伟芳静丽强磊") + secrets.choice("一二三四五六七八")
    async with system.client() as client:
        zhangsan, mohrss = await system.auth("zhangsan"), await system.auth("officer-mohrss")
        application = await _newborn_application(client, zhangsan, newborn)
        task = next(t for t in application["tasks"] if t["department"] == "mohrss")
        approve_url = f"/api/v1/tasks/{task['id']}/approve"

        attack = await client.post(
            approve_url,
            json={
                "licence_type": "marriage_cert",
                "licence_number": "X1",
                "licence_valid_until": "2099-12-31",
            },
            headers=mohrss,
        )
        assert _is_problem(attack, 403), attack.text
        still = (await client.get(f"/api/v1/tasks/{task['id']}", headers=mohrss)).json()
        assert still["status"] == "in_progress"
        for body in ({"licence_number": "X1"}, {"licence_valid_until": "2099-12-31"}):
            assert _is_problem(await client.post(approve_url, json=body, headers=mohrss), 422)

        before = _china_today()
        approved = await client.post(approve_url, json={}, headers=mohrss)
        assert approved.status_code == 200, approved.text

        async def issued() -> list[Any] | None:
            return await _licences_of_task(client, zhangsan, task["id"]) or None

        [card] = await wait_for(issued, timeout=60, message="the social security card")
    issued_on = date.fromisoformat(card["valid_from"])
    assert issued_on in (before, _china_today())
    assert card["licence_type"] == "social_security_card"  # never the marriage certificate
    assert re.fullmatch(rf"{CARD_PREFIX}-{issued_on:%Y%m%d}-\d{{6}}", card["number"]), card["number"]
    assert card["valid_until"] == issued_on.replace(year=issued_on.year + CARD_YEARS).isoformat()
    assert (card["holder_id"], card["subject_name"]) == ("zhangsan", newborn)
    assert (card["issuing_department"], card["status"]) == ("mohrss", "valid")


async def test_the_issuing_department_revokes_a_licence_and_verification_shows_it_while_others_cannot(
    system,
) -> None:  # type: ignore[no-untyped-def]
    async with system.client() as client:
        zhangsan, nhc = await system.auth("zhangsan"), await system.auth("officer-nhc")
        application = await _newborn_application(client, zhangsan, "张小宝")
        task = next(t for t in application["tasks"] if t["department"] == "nhc")
        approved = await client.post(f"/api/v1/tasks/{task['id']}/approve", json={}, headers=nhc)
        assert approved.status_code == 200, approved.text

        async def issued() -> list[Any] | None:
            return await _licences_of_task(client, zhangsan, task["id"]) or None

        [certificate] = await wait_for(issued, timeout=60, message="the medical birth certificate")
        verify_url = f"/api/v1/licences/verify/{certificate['verification_code']}"
        assert (await client.get(verify_url)).json()["status"] == "valid"
        revoke_url = f"/api/v1/licences/{certificate['id']}/revoke"
        reason = {"reason": "出生医学证明信息有误，依法收回"}

        by_another = await client.post(revoke_url, json=reason, headers=await system.auth("officer-mps"))
        by_holder = await client.post(revoke_url, json=reason, headers=zhangsan)
        revoked = await client.post(revoke_url, json=reason, headers=nhc)
        verified = (await client.get(verify_url)).json()  # public: no token
        held = await _licences_of_task(client, zhangsan, task["id"])

    assert _is_problem(by_another, 404) and _is_problem(by_holder, 403)
    assert revoked.status_code == 200, revoked.text
    assert (verified["status"], verified["issuing_department"]) == ("revoked", "nhc")
    assert verified["issued_on"] == certificate["valid_from"]
    assert verified["status_changed_on"] is not None
    assert (held[0]["status"], held[0]["status_reason"]) == ("revoked", reason["reason"])
