"""帮办代办 as a delegation (委托), through the gateway against the real services, Kafka and PostgreSQL
(issue 16, bullet 1): the window clerk's prefill, submission and upload for someone who granted nothing
are refused with nothing stored; a delegation started at the window and confirmed with the one-time code
from the applicant's own inbox lets the clerk act, every use lands in the applicant's access log, and
after the applicant revokes it the clerk is refused again; an in-person identity check is visible to
the applicant.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from onematter_clock import SystemClock
from onematter_testkit import wait_for
from onematter_testkit.applicant import form_from_schema, submit_application, upload_material

pytestmark = pytest.mark.e2e

MATTER = "newborn-birth"
CODE_KIND = "delegation.code-issued"


def _until(days: int = 1) -> str:
    return (SystemClock().now() + timedelta(days=days)).isoformat()


def _refused(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def _total(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> int:
    response = await client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


async def _clerk_attempts(
    client: httpx.AsyncClient, clerk: dict[str, str], applicant_id: str, delegation_id: str | None
) -> tuple[httpx.Response, httpx.Response, httpx.Response]:
    """The clerk's prefill, submission and upload for ``applicant_id`` (``delegation_id`` on the upload)."""
    matter = (await client.get(f"/api/v1/matters/{MATTER}")).json()
    prefill = await client.get(
        "/api/v1/applications/prefill",
        params={"matter_code": MATTER, "on_behalf_of": applicant_id},
        headers=clerk,
    )
    body = {
        "matter_code": MATTER,
        "form": form_from_schema(matter["form_schema"]),
        "channel": "window",
        "on_behalf_of": applicant_id,
    }
    submitted = await submit_application(client, clerk, body)
    fields = {"material_type": "photo", "on_behalf_of": applicant_id}
    if delegation_id:
        fields["delegation_id"] = delegation_id
    uploaded = await client.post(
        "/api/v1/materials",
        headers=clerk,
        data=fields,
        files={"file": ("photo.pdf", b"%PDF-1.7\n" + b"x" * 512, "application/pdf")},
    )
    return prefill, submitted, uploaded


async def test_a_clerk_without_a_delegation_reads_submits_and_uploads_nothing(system) -> None:  # type: ignore[no-untyped-def]
    async with system.client() as client:
        lisi, clerk = await system.auth("lisi"), await system.auth("clerk01")
        for granted in (await client.get("/api/v1/delegations", headers=lisi)).json():  # another test's
            await client.post(f"/api/v1/delegations/{granted['id']}/revoke", headers=lisi)
        before = [await _total(client, p, lisi) for p in ("/api/v1/applications", "/api/v1/materials")]

        for response in await _clerk_attempts(client, clerk, "lisi", delegation_id=None):
            _refused(response)

        after = [await _total(client, p, lisi) for p in ("/api/v1/applications", "/api/v1/materials")]
        assert after == before
        held = (await client.get("/api/v1/delegations", headers=clerk)).json()
        assert not [d for d in held if d["applicant_id"] == "lisi" and d["status"] == "active"]


async def _code_from_inbox(client: httpx.AsyncClient, applicant: dict[str, str], delegation_id: str) -> str:
    """The code of this delegation's request: its message names the delegation (first 8 characters)."""

    async def arrived() -> str | None:
        response = await client.get("/api/v1/notifications", params={"limit": 50}, headers=applicant)
        fresh = [
            m
            for m in response.json()["items"]
            if m["kind"] == CODE_KIND and delegation_id[:8] in m["subject"]
        ]
        found = re.search(r"(?<!\d)(\d{6})(?!\d)", fresh[0]["body"]) if fresh else None
        return found.group(1) if found else None

    return await wait_for(arrived, timeout=60, message="the one-time code in the applicant's inbox")


async def _earlier_application(client: httpx.AsyncClient, applicant: dict[str, str]) -> dict[str, str]:
    """The applicant's own submission with every material uploaded: what a later prefill finds."""
    matter = (await client.get(f"/api/v1/matters/{MATTER}")).json()
    uploaded = {
        m["material_type"]: await upload_material(client, applicant, m["material_type"])
        for m in matter["materials"]
    }
    body = {"matter_code": MATTER, "form": form_from_schema(matter["form_schema"]), "materials": uploaded}
    response = await submit_application(client, applicant, body)
    assert response.status_code == 201, response.text
    return {}


async def _access_log(client: httpx.AsyncClient, applicant: dict[str, str]) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/materials/access-log", params={"limit": 100}, headers=applicant)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_a_delegation_confirmed_by_code_is_used_logged_revoked_and_then_refused(system) -> None:  # type: ignore[no-untyped-def]
    async with system.client() as client:
        zhangsan, clerk = await system.auth("zhangsan"), await system.auth("clerk01")
        asked = await client.post(
            "/api/v1/delegations/requests",
            json={
                "applicant_id": "zhangsan",
                "matter_codes": [MATTER],
                "actions": ["read", "submit"],
                "valid_until": _until(),
            },
            headers=clerk,
        )
        assert asked.status_code == 201, asked.text
        pending = asked.json()
        assert pending["status"] == "pending" and "code" not in pending and "code_hash" not in pending
        code = await _code_from_inbox(client, zhangsan, pending["id"])
        confirmed = await client.post(
            f"/api/v1/delegations/{pending['id']}/confirm", json={"code": code}, headers=clerk
        )
        assert confirmed.status_code == 200, confirmed.text
        assert confirmed.json()["status"] == "active" and confirmed.json()["valid_until"].endswith("+08:00")

        # 帮办代办 under the delegation: prefill, a photo scanned into the locker, the submission
        reused = await _earlier_application(client, zhangsan)
        known = await client.get(
            "/api/v1/applications/prefill",
            params={"matter_code": MATTER, "on_behalf_of": "zhangsan"},
            headers=clerk,
        )
        assert known.status_code == 200, known.text
        reused |= {
            m["material_type"]: m["material_id"] for m in known.json()["materials"] if m["material_id"]
        }
        reused["photo"] = await upload_material(
            client, clerk, "photo", on_behalf_of="zhangsan", delegation_id=pending["id"]
        )
        matter = (await client.get(f"/api/v1/matters/{MATTER}")).json()
        body = {"matter_code": MATTER, "form": form_from_schema(matter["form_schema"]), "materials": reused}
        submitted = await submit_application(
            client, clerk, {**body, "channel": "window", "on_behalf_of": "zhangsan"}
        )
        assert submitted.status_code == 201, submitted.text

        async def logged() -> list[dict[str, Any]] | None:
            mine = [e for e in await _access_log(client, zhangsan) if e["delegation_id"] == pending["id"]]
            actions = {e["action"] for e in mine}
            return mine if {"uploaded", "delegated_read", "submitted"} <= actions else None

        entries = await wait_for(logged, timeout=60, message="the delegated reads in the access log")
        assert {e["reader_id"] for e in entries} == {"clerk01"}
        listed = (await client.get("/api/v1/delegations", headers=zhangsan)).json()
        assert pending["id"] in {d["id"] for d in listed}

        revoked = await client.post(f"/api/v1/delegations/{pending['id']}/revoke", headers=zhangsan)
        assert revoked.status_code == 200 and revoked.json()["status"] == "revoked", revoked.text
        for response in await _clerk_attempts(client, clerk, "zhangsan", pending["id"]):
            _refused(response)


async def test_a_wrong_code_confirms_nothing_and_only_the_applicant_revokes(system) -> None:  # type: ignore[no-untyped-def]
    async with system.client() as client:
        zhangsan, clerk = await system.auth("zhangsan"), await system.auth("clerk01")
        asked = await client.post(
            "/api/v1/delegations/requests",
            json={
                "applicant_id": "zhangsan",
                "matter_codes": [MATTER],
                "actions": ["read"],
                "valid_until": _until(),
            },
            headers=clerk,
        )
        assert asked.status_code == 201, asked.text
        delegation_id = asked.json()["id"]
        code = await _code_from_inbox(client, zhangsan, delegation_id)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"

        refused = await client.post(
            f"/api/v1/delegations/{delegation_id}/confirm", json={"code": wrong}, headers=clerk
        )

        assert refused.status_code == 422, refused.text
        [still] = [
            d
            for d in (await client.get("/api/v1/delegations", headers=zhangsan)).json()
            if d["id"] == delegation_id
        ]
        assert still["status"] == "pending"
        by_clerk = await client.post(f"/api/v1/delegations/{delegation_id}/revoke", headers=clerk)
        by_other = await client.post(
            f"/api/v1/delegations/{delegation_id}/revoke", headers=await system.auth("lisi")
        )
        assert (by_clerk.status_code, by_other.status_code) == (403, 404)
        by_owner = await client.post(f"/api/v1/delegations/{delegation_id}/revoke", headers=zhangsan)
        assert by_owner.json()["status"] == "revoked"


async def test_an_in_person_check_is_shown_to_the_applicant_with_the_number_masked(system) -> None:  # type: ignore[no-untyped-def]
    async with system.client() as client:
        lisi, clerk = await system.auth("lisi"), await system.auth("clerk01")
        number = "110101194501011234"
        recorded = await client.post(
            "/api/v1/delegations/in-person",
            json={
                "applicant_id": "lisi",
                "matter_codes": ["retirement"],
                "actions": ["read"],
                "valid_until": _until(),
                "document_type": "resident_id_card",
                "document_number": number,
                "witness_id": "clerk02",
            },
            headers=clerk,
        )
        assert recorded.status_code == 201, recorded.text
        assert number not in recorded.text

        [shown] = [
            d
            for d in (await client.get("/api/v1/delegations", headers=lisi)).json()
            if d["id"] == recorded.json()["id"]
        ]
        assert shown["confirmed_by"] == "in_person" and shown["status"] == "active"
        check = shown["identity_check"]
        assert (check["document_type"], check["number_masked"], check["witness_id"], check["checked_by"]) == (
            "resident_id_card",
            "1101**********1234",
            "clerk02",
            "clerk01",
        )
        await client.post(f"/api/v1/delegations/{shown['id']}/revoke", headers=lisi)
