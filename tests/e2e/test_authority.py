"""Who may act for whom, through the gateway against the real services, Kafka and PostgreSQL (issue 16).

* An enterprise (法人, acme-corp) is acted for only by its legal representative (法定代表人 王五 ``wangwu``,
  asserted by the development identity provider as an 电子营业执照 login would) or by a 经办人 (赵六
  ``zhaoliu``) under a delegation the legal representative granted: before the grant, after its revocation
  and for anyone else every prefill, submission, upload and grant is a 403 problem+json, nothing stored.
* The window clerk who submitted for an applicant answers a 补正 or withdraws only under a delegation in
  force allowing ``submit``; with one it works and lands in the applicant's access log.
* Revoking a licence publishes ``licence.revoked`` on Kafka and tells the holder in Chinese.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from onematter_clock import SystemClock
from onematter_events import Stream, topic_name
from onematter_events.materials import LICENCE_REVOKED
from onematter_testkit import read_events, wait_for
from onematter_testkit.applicant import form_from_schema, submit_application, submit_matter, upload_material

pytestmark = pytest.mark.e2e

ENTERPRISE, ENTERPRISE_MATTER = "acme-corp", "open-restaurant"
NEWBORN = "newborn-birth"


def _until(days: int = 7) -> str:
    return (SystemClock().now() + timedelta(days=days)).isoformat()


def _refused(response: httpx.Response, status: int = 403) -> bool:
    return response.status_code == status and response.headers["content-type"].startswith(
        "application/problem+json"
    )


async def _total(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> int:
    response = await client.get(path, params={"limit": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


async def _access_log(client: httpx.AsyncClient, owner: dict[str, str]) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/materials/access-log", params={"limit": 100}, headers=owner)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def _for_enterprise(
    client: httpx.AsyncClient, caller: dict[str, str], *, delegation_id: str | None
) -> tuple[httpx.Response, httpx.Response, httpx.Response]:
    """``caller``'s prefill, upload (naming ``delegation_id``) and submission for acme-corp."""
    prefill = await client.get(
        "/api/v1/applications/prefill",
        params={"matter_code": ENTERPRISE_MATTER, "on_behalf_of": ENTERPRISE},
        headers=caller,
    )
    fields = {"material_type": "premises_proof", "on_behalf_of": ENTERPRISE}
    if delegation_id:
        fields["delegation_id"] = delegation_id
    uploaded = await client.post(
        "/api/v1/materials",
        headers=caller,
        data=fields,
        files={"file": ("proof.pdf", b"%PDF-1.7\n" + b"x" * 512, "application/pdf")},
    )
    matter = (await client.get(f"/api/v1/matters/{ENTERPRISE_MATTER}")).json()
    body = {
        "matter_code": ENTERPRISE_MATTER,
        "form": form_from_schema(matter["form_schema"]),
        "channel": "online",
        "on_behalf_of": ENTERPRISE,
    }
    submitted = await submit_application(client, caller, body)
    return prefill, uploaded, submitted


async def _enterprise_totals(client: httpx.AsyncClient, acme: dict[str, str]) -> tuple[int, int]:
    return (
        await _total(client, "/api/v1/applications", acme),
        await _total(client, "/api/v1/materials", acme),
    )


async def test_an_enterprise_is_acted_for_only_by_its_legal_representative_or_an_authorised_agent(
    system,
) -> None:  # type: ignore[no-untyped-def]
    async with system.client() as client:
        acme, wangwu = await system.auth(ENTERPRISE), await system.auth("wangwu")
        zhaoliu, lisi = await system.auth("zhaoliu"), await system.auth("lisi")
        grant = {
            "delegate_id": "zhaoliu",
            "on_behalf_of": ENTERPRISE,
            "matter_codes": [ENTERPRISE_MATTER],
            "actions": ["read", "submit"],
            "valid_until": _until(),
        }
        before = await _enterprise_totals(client, acme)

        # Nobody bound to acme-corp: the unbound 赵六 and another applicant are refused everything.
        for outsider in (zhaoliu, lisi):
            assert all(_refused(r) for r in await _for_enterprise(client, outsider, delegation_id=None))
            assert _refused(await client.post("/api/v1/delegations", json=grant, headers=outsider))
        assert await _enterprise_totals(client, acme) == before
        assert not [e for e in await _access_log(client, acme) if e["reader_id"] == "zhaoliu"]

        # The legal representative acts for it at once: prefill, and an upload into its locker.
        prefill, uploaded, _ = await _for_enterprise(client, wangwu, delegation_id=None)
        assert prefill.status_code == 200, prefill.text
        assert uploaded.status_code == 201, uploaded.text
        listed = await client.get("/api/v1/materials", params={"limit": 100}, headers=acme)
        assert uploaded.json()["id"] in {m["id"] for m in listed.json()["items"]}  # the enterprise's locker
        # …and grants its 经办人 a delegation for the enterprise.
        granted = await client.post("/api/v1/delegations", json=grant, headers=wangwu)
        assert granted.status_code == 201, granted.text
        delegation = granted.json()
        assert (delegation["applicant_id"], delegation["delegate_id"]) == (ENTERPRISE, "zhaoliu")

        # The authorised 经办人 acts under it, and the enterprise sees it in its access log.
        materials = {
            m["material_type"]: await upload_material(
                client, zhaoliu, m["material_type"], on_behalf_of=ENTERPRISE, delegation_id=delegation["id"]
            )
            for m in (await client.get(f"/api/v1/matters/{ENTERPRISE_MATTER}")).json()["materials"]
        }
        matter = (await client.get(f"/api/v1/matters/{ENTERPRISE_MATTER}")).json()
        body = {
            "matter_code": ENTERPRISE_MATTER,
            "form": form_from_schema(matter["form_schema"]),
            "materials": materials,
            "channel": "online",
            "on_behalf_of": ENTERPRISE,
        }
        submitted = await submit_application(client, zhaoliu, body)
        assert submitted.status_code == 201, submitted.text
        assert (submitted.json()["applicant_id"], submitted.json()["submitted_by"]) == (ENTERPRISE, "zhaoliu")

        async def logged() -> list[dict[str, Any]] | None:
            mine = [e for e in await _access_log(client, acme) if e["delegation_id"] == delegation["id"]]
            return mine if {"uploaded", "submitted"} <= {e["action"] for e in mine} else None

        entries = await wait_for(logged, timeout=60, message="the 经办人's work in the enterprise's log")
        assert {e["reader_id"] for e in entries} == {"zhaoliu"}

        # Revoked by the legal representative (not by the 经办人): refused again, nothing more stored.
        assert _refused(
            await client.post(f"/api/v1/delegations/{delegation['id']}/revoke", headers=lisi), 404
        )
        revoked = await client.post(f"/api/v1/delegations/{delegation['id']}/revoke", headers=wangwu)
        assert revoked.status_code == 200 and revoked.json()["status"] == "revoked", revoked.text
        after_revocation = await _enterprise_totals(client, acme)
        assert all(
            _refused(r) for r in await _for_enterprise(client, zhaoliu, delegation_id=delegation["id"])
        )
        assert await _enterprise_totals(client, acme) == after_revocation


async def _clerk_submits_for_lisi(
    client: httpx.AsyncClient, lisi: dict[str, str], clerk: dict[str, str]
) -> tuple[dict[str, Any], str]:
    """lisi grants clerk01 a delegation, the clerk submits 新生儿出生 with lisi's materials, lisi revokes."""
    delegation_id = await _grant_clerk(client, lisi)
    submission = await submit_matter(
        client, clerk, NEWBORN, channel="window", uploads_by=lisi, on_behalf_of="lisi"
    )
    submitted = submission.response
    assert submitted.status_code == 201, submitted.text
    await client.post(f"/api/v1/delegations/{delegation_id}/revoke", headers=lisi)
    return submitted.json(), delegation_id


async def _grant_clerk(client: httpx.AsyncClient, lisi: dict[str, str]) -> str:
    granted = await client.post(
        "/api/v1/delegations",
        json={
            "delegate_id": "clerk01",
            "matter_codes": [NEWBORN],
            "actions": ["submit"],
            "valid_until": _until(),
        },
        headers=lisi,
    )
    assert granted.status_code == 201, granted.text
    return str(granted.json()["id"])


async def test_the_clerk_who_submitted_answers_and_withdraws_only_under_a_delegation_and_it_is_logged(
    system,
) -> None:  # type: ignore[no-untyped-def]
    async with system.client() as client:
        lisi, clerk, mps = (
            await system.auth("lisi"),
            await system.auth("clerk01"),
            await system.auth("officer-mps"),
        )
        application, _ = await _clerk_submits_for_lisi(client, lisi, clerk)
        number = application["acceptance_number"]
        task = next(t for t in application["tasks"] if t["department"] == "mps")
        asked = await client.post(
            f"/api/v1/tasks/{task['id']}/request-supplement",
            json={"materials": ["hukou_book"], "reason": "户口簿页不清晰"},
            headers=mps,
        )
        assert asked.status_code == 200, asked.text
        answer = {"materials": {"hukou_book": await upload_material(client, lisi, "hukou_book")}}
        url = f"/api/v1/applications/{number}"

        # The delegation was revoked: the clerk who submitted can neither answer nor withdraw.
        refused_answer = await client.post(f"{url}/supplements", json=answer, headers=clerk)
        refused_withdraw = await client.post(f"{url}/withdraw", headers=clerk)
        assert _refused(refused_answer) and _refused(refused_withdraw), refused_answer.text
        assert (await client.get(url, headers=lisi)).json()["status"] == "waiting_supplement"

        # Under a new delegation allowing submit: both work, and both are in lisi's access log.
        delegation_id = await _grant_clerk(client, lisi)
        answered = await client.post(f"{url}/supplements", json=answer, headers=clerk)
        assert answered.status_code == 200, answered.text
        withdrawn = await client.post(f"{url}/withdraw", headers=clerk)
        assert withdrawn.status_code in (200, 204), withdrawn.text
        assert (await client.get(url, headers=lisi)).json()["status"] == "withdrawn"

        async def logged() -> set[str] | None:
            mine = {
                e["action"]
                for e in await _access_log(client, lisi)
                if e["delegation_id"] == delegation_id and e["reader_id"] == "clerk01"
            }
            return mine if {"answered", "withdrawn"} <= mine else None

        await wait_for(logged, timeout=60, message="the clerk's answer and withdrawal in lisi's access log")
        await client.post(f"/api/v1/delegations/{delegation_id}/revoke", headers=lisi)


async def test_a_revoked_licence_is_published_on_kafka_and_its_holder_is_told_in_chinese(
    system,
) -> None:  # type: ignore[no-untyped-def]
    reason = "出生医学证明信息有误，依法收回"
    async with system.client() as client:
        zhangsan, nhc = await system.auth("zhangsan"), await system.auth("officer-nhc")
        matter = (await client.get(f"/api/v1/matters/{NEWBORN}")).json()
        materials = {
            m["material_type"]: await upload_material(client, zhangsan, m["material_type"])
            for m in matter["materials"]
        }
        body = {
            "matter_code": NEWBORN,
            "form": form_from_schema(matter["form_schema"]),
            "materials": materials,
            "channel": "online",
        }
        submitted = await submit_application(client, zhangsan, body)
        assert submitted.status_code == 201, submitted.text
        task = next(t for t in submitted.json()["tasks"] if t["department"] == "nhc")
        approved = await client.post(f"/api/v1/tasks/{task['id']}/approve", json={}, headers=nhc)
        assert approved.status_code == 200, approved.text

        async def issued() -> dict[str, Any] | None:
            items = (await client.get("/api/v1/licences", params={"limit": 100}, headers=zhangsan)).json()
            return next((lic for lic in items["items"] if lic["task_id"] == task["id"]), None)

        licence = await wait_for(issued, timeout=60, message="the medical birth certificate")
        revoked = await client.post(
            f"/api/v1/licences/{licence['id']}/revoke", json={"reason": reason}, headers=nhc
        )
        assert revoked.status_code == 200, revoked.text

        async def told() -> dict[str, Any] | None:
            inbox = await client.get("/api/v1/notifications", params={"limit": 100}, headers=zhangsan)
            return next(
                (m for m in inbox.json()["items"] if m["kind"] == "licence.revoked" and reason in m["body"]),
                None,
            )

        message = await wait_for(told, timeout=60, message="the revocation in the holder's inbox")
        verified = (await client.get(f"/api/v1/licences/verify/{licence['verification_code']}")).json()
    [event] = await read_events(
        system.kafka_bootstrap,
        topic_name(Stream.materials, system.topic_prefix),
        count=1,
        where=lambda e: e.type == LICENCE_REVOKED and e.data["licence_id"] == licence["id"],
    )
    assert (event.data["holder_id"], event.data["status"], event.data["reason"]) == (
        "zhangsan",
        "revoked",
        reason,
    )
    assert event.data["issuing_department"] == "nhc" and event.data["number"] == licence["number"]
    assert message["subject"].startswith("电子证照已被吊销") and "吊销" in message["body"]
    assert licence["licence_type"] not in message["body"] and "nhc" not in message["body"]  # names, not codes
    assert verified["status"] == "revoked"
