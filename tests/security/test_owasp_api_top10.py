"""The OWASP API Security Top 10 (2023) as it applies to OneMatter, attacked through the gateway.

One test per case; each names the attack and the answer it must get. zhangsan's application (see
conftest) is the target; lisi, another applicant, and officers of other departments are the attackers.
Not here: API6 (business-flow abuse: the Idempotency-Key and rate limits are the controls; covered
in acceptance's own tests) and API10 (unsafe consumption: services consume only our own signed events).
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from onematter_events import Stream, topic_name
from onematter_events.materials import LICENCE_REVOKED
from onematter_testkit import read_events, wait_for
from onematter_testkit.applicant import form_from_schema, submit_application, upload_material

pytestmark = pytest.mark.e2e

PROBLEM = "application/problem+json"


def _is_problem(response: httpx.Response, status: int) -> bool:
    return response.status_code == status and response.headers["content-type"].startswith(PROBLEM)


# --- API1 broken object-level authorization (BOLA): not yours → 404, and nothing changes --------------


async def test_an_applicant_cannot_read_another_applicants_application(system, victim) -> None:
    async with system.client() as client:
        response = await client.get(
            f"/api/v1/applications/{victim.number}", headers=await system.auth("lisi")
        )
        listed = await client.get(
            "/api/v1/applications", params={"limit": 100}, headers=await system.auth("lisi")
        )
    assert _is_problem(response, 404)
    assert victim.number not in listed.text


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("withdraw", None),
        ("supplements", {"materials": {"photo": "mat-x"}}),
        ("review", {"level": 1, "comment": "差"}),
    ],
)
async def test_an_applicant_cannot_withdraw_supplement_or_review_another_applicants_application(
    system, victim, action: str, body: dict[str, Any] | None
) -> None:
    async with system.client() as client:
        response = await client.post(
            f"/api/v1/applications/{victim.number}/{action}", json=body, headers=await system.auth("lisi")
        )
        after = await client.get(
            f"/api/v1/applications/{victim.number}", headers=await system.auth("zhangsan")
        )
    assert _is_problem(response, 404), response.text
    assert after.json()["status"] == victim.detail["status"]


async def test_an_applicant_cannot_read_or_delete_another_applicants_material(system, victim) -> None:
    material = victim.materials["id_card"]
    lisi = await system.auth("lisi")
    async with system.client() as client:
        metadata = await client.get(f"/api/v1/materials/{material}", headers=lisi)
        content = await client.get(f"/api/v1/materials/{material}/content", headers=lisi)
        deleted = await client.delete(f"/api/v1/materials/{material}", headers=lisi)
        still = await client.get(f"/api/v1/materials/{material}", headers=await system.auth("zhangsan"))
        listed = await client.get("/api/v1/materials", params={"limit": 100}, headers=lisi)
    assert [metadata.status_code, content.status_code, deleted.status_code] == [404, 404, 404]
    assert still.status_code == 200
    assert material not in listed.text


async def test_a_clerk_without_a_delegation_cannot_act_for_the_applicant(system, victim) -> None:
    """帮办代办 needs a delegation (issue 16): zhangsan's data, her name on a submission with her stored
    materials, and her locker are all closed to a clerk she granted nothing — 403, nothing stored."""
    zhangsan, clerk = await system.auth("zhangsan"), await system.auth("clerk01")
    async with system.client() as client:
        for granted in (await client.get("/api/v1/delegations", headers=zhangsan)).json():  # earlier tests'
            await client.post(f"/api/v1/delegations/{granted['id']}/revoke", headers=zhangsan)
        before = (await client.get("/api/v1/applications", headers=zhangsan)).json()["total"]
        locker = (await client.get("/api/v1/materials", headers=zhangsan)).json()["total"]
        prefill = await client.get(
            "/api/v1/applications/prefill",
            params={"matter_code": victim.detail["matter_code"], "on_behalf_of": "zhangsan"},
            headers=clerk,
        )
        body = {
            "matter_code": victim.detail["matter_code"],
            "form": victim.detail.get("form", {}),
            "materials": victim.materials,
            "channel": "window",
            "on_behalf_of": "zhangsan",
        }
        submitted = await client.post(
            "/api/v1/applications", json=body, headers={**clerk, "Idempotency-Key": "bola-delegation"}
        )
        uploaded = await client.post(
            "/api/v1/materials",
            headers=clerk,
            data={"material_type": "photo", "on_behalf_of": "zhangsan", "delegation_id": "forged"},
            files={"file": ("p.pdf", b"%PDF-1.7\n" + b"x" * 256, "application/pdf")},
        )
        after = (await client.get("/api/v1/applications", headers=zhangsan)).json()["total"]
        locker_after = (await client.get("/api/v1/materials", headers=zhangsan)).json()["total"]
    assert all(_is_problem(r, 403) for r in (prefill, submitted, uploaded)), (prefill.text, submitted.text)
    assert (after, locker_after) == (before, locker)
    assert victim.id_number not in prefill.text and victim.phone not in prefill.text


ENTERPRISE = "acme-corp"


async def _enterprise_totals(client: httpx.AsyncClient, acme: dict[str, str], user: str) -> list[int]:
    """acme-corp's applications, materials, and the access-log lines naming ``user`` (an authorised
    经办人 of an earlier test may have some)."""
    log = (await client.get("/api/v1/materials/access-log", params={"limit": 100}, headers=acme)).json()
    return [
        *[
            (await client.get(path, params={"limit": 1}, headers=acme)).json()["total"]
            for path in ("/api/v1/applications", "/api/v1/materials")
        ],
        len([e for e in log["items"] if e["reader_id"] == user]),
    ]


@pytest.mark.parametrize("user", ["zhaoliu", "lisi", "clerk01"])
async def test_a_person_not_bound_to_an_enterprise_cannot_act_for_it(system, user: str) -> None:
    """法人 (issue 16): only its legal representative (a claim the identity provider signs) or a 经办人 it
    authorised acts for acme-corp; anyone else's prefill, submission, upload and grant is 403, nothing
    stored, and nothing lands in the enterprise's access log as a success."""
    attacker, acme = await system.auth(user), await system.auth(ENTERPRISE)
    async with system.client() as client:
        before = await _enterprise_totals(client, acme, user)
        prefill = await client.get(
            "/api/v1/applications/prefill",
            params={"matter_code": "open-restaurant", "on_behalf_of": ENTERPRISE},
            headers=attacker,
        )
        submitted = await client.post(
            "/api/v1/applications",
            json={
                "matter_code": "open-restaurant",
                "form": {},
                "channel": "window",
                "on_behalf_of": ENTERPRISE,
            },
            headers={**attacker, "Idempotency-Key": f"bola-enterprise-{user}"},
        )
        uploaded = await client.post(
            "/api/v1/materials",
            headers=attacker,
            data={"material_type": "premises_proof", "on_behalf_of": ENTERPRISE},
            files={"file": ("p.pdf", b"%PDF-1.7\n" + b"x" * 256, "application/pdf")},
        )
        granted = await client.post(
            "/api/v1/delegations",
            json={
                "delegate_id": user,
                "on_behalf_of": ENTERPRISE,
                "matter_codes": ["open-restaurant"],
                "actions": ["read", "submit"],
                "valid_until": _next_week(),
            },
            headers=attacker,
        )
        after = await _enterprise_totals(client, acme, user)
    assert all(_is_problem(r, 403) for r in (prefill, submitted, uploaded, granted)), (
        prefill.text,
        submitted.text,
        uploaded.text,
        granted.text,
    )
    assert after == before


def _next_week() -> str:
    return (datetime.now(UTC) + timedelta(days=7)).isoformat()


async def _lisis_application_by_the_clerk(
    client: httpx.AsyncClient, lisi: dict[str, str], clerk: dict[str, str]
) -> str:
    """lisi lets clerk01 submit her 新生儿出生 application at the window, then revokes the delegation."""
    granted = await client.post(
        "/api/v1/delegations",
        json={
            "delegate_id": "clerk01",
            "matter_codes": ["newborn-birth"],
            "actions": ["submit"],
            "valid_until": _next_week(),
        },
        headers=lisi,
    )
    assert granted.status_code == 201, granted.text
    matter = (await client.get("/api/v1/matters/newborn-birth")).json()
    body = {
        "matter_code": "newborn-birth",
        "form": form_from_schema(matter["form_schema"]),
        "materials": {
            m["material_type"]: await upload_material(client, lisi, m["material_type"])
            for m in matter["materials"]
        },
        "channel": "window",
        "on_behalf_of": "lisi",
    }
    submitted = await submit_application(client, clerk, body)
    assert submitted.status_code == 201, submitted.text
    revoked = await client.post(f"/api/v1/delegations/{granted.json()['id']}/revoke", headers=lisi)
    assert revoked.status_code == 200, revoked.text
    return str(submitted.json()["acceptance_number"])


@pytest.mark.parametrize(
    ("action", "body"), [("withdraw", None), ("supplements", {"materials": {"photo": "mat-x"}})]
)
async def test_the_clerk_who_submitted_cannot_withdraw_or_supplement_once_the_delegation_ended(
    system, action: str, body: dict[str, Any] | None
) -> None:
    """帮办代办 (issue 16): the clerk's submission does not make the application theirs; acting on it again
    needs a delegation in force allowing submit — 403 problem+json, and the application is unchanged."""
    lisi, clerk = await system.auth("lisi"), await system.auth("clerk01")
    async with system.client() as client:
        number = await _lisis_application_by_the_clerk(client, lisi, clerk)
        response = await client.post(f"/api/v1/applications/{number}/{action}", json=body, headers=clerk)
        after = await client.get(f"/api/v1/applications/{number}", headers=lisi)
    assert _is_problem(response, 403), response.text
    assert after.json()["status"] == "in_progress"


async def test_an_applicant_cannot_read_or_mark_another_users_notifications(system, victim) -> None:
    zhangsan, lisi = await system.auth("zhangsan"), await system.auth("lisi")
    async with system.client() as client:

        async def accepted_message() -> dict[str, Any] | None:
            items = (
                await client.get("/api/v1/notifications", params={"limit": 100}, headers=zhangsan)
            ).json()
            return next((m for m in items["items"] if victim.number in m.get("body", "")), None)

        message = await wait_for(accepted_message, timeout=60, message="zhangsan's acceptance message")
        marked = await client.post(f"/api/v1/notifications/{message['id']}/read", headers=lisi)
        lisis = await client.get("/api/v1/notifications", params={"limit": 100}, headers=lisi)
    assert _is_problem(marked, 404)
    assert victim.number not in lisis.text


async def test_an_applicant_sees_only_own_licences(system) -> None:
    async with system.client() as client:
        response = await client.get(
            "/api/v1/licences",
            params={"holder_id": "zhangsan", "limit": 100},
            headers=await system.auth("lisi"),
        )
    assert response.status_code == 200
    assert all(item["holder_id"] == "lisi" for item in response.json()["items"])


async def test_an_officer_cannot_read_or_decide_another_departments_task(system, victim) -> None:
    task = victim.task_of("nhc")
    other = await system.auth("officer-mps")  # mps has its own task in the same application
    async with system.client() as client:
        read = await client.get(f"/api/v1/tasks/{task['id']}", headers=other)
        approved = await client.post(f"/api/v1/tasks/{task['id']}/approve", json={}, headers=other)
        rejected = await client.post(
            f"/api/v1/tasks/{task['id']}/reject", json={"reason": "x"}, headers=other
        )
        nhc_view = await client.get(f"/api/v1/tasks/{task['id']}", headers=await system.auth("officer-nhc"))
    assert [read.status_code, approved.status_code, rejected.status_code] == [404, 404, 404]
    assert nhc_view.status_code == 200 and nhc_view.json()["status"] == task["status"]


async def test_an_officer_without_a_task_cannot_read_the_application_or_its_materials(system, victim) -> None:
    outsider = await system.auth("officer-moe")
    async with system.client() as client:
        application = await client.get(f"/api/v1/applications/{victim.number}", headers=outsider)
        material = await client.get(
            f"/api/v1/materials/{victim.materials['id_card']}/content", headers=outsider
        )
    assert [application.status_code, material.status_code] == [404, 404]


# --- API2 broken authentication → 401 problem+json ----------------------------------------------------

_FORGED = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsInJvbGVzIjpbImFkbWluIl0sImV4cCI6MX0."
    "c2lnbmF0dXJl"
)
_ALG_NONE = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsInJvbGVzIjpbImFkbWluIl19."


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer",
        "Bearer garbage",
        f"Bearer {_FORGED}",
        f"Bearer {_ALG_NONE}",
        "Basic YWRtaW46ZGVtbw==",
    ],
    ids=["none", "empty", "garbage", "forged-expired-hs256", "alg-none", "basic"],
)
async def test_a_missing_or_invalid_token_is_401_problem_json(system, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    async with system.client() as client:
        response = await client.get("/api/v1/applications", headers=headers)
    assert _is_problem(response, 401), response.text


async def test_a_401_tells_the_client_to_use_a_bearer_token(system) -> None:
    async with system.client() as client:
        response = await client.get("/api/v1/applications")
    assert response.headers.get("www-authenticate", "").lower().startswith("bearer")


async def test_a_token_with_its_signature_swapped_from_another_users_token_is_401(system) -> None:
    head, body, _ = (await system.token("admin")).split(".")
    signature = (await system.token("lisi")).split(".")[2]
    async with system.client() as client:
        response = await client.get(
            "/api/v1/admin/matters/newborn-birth/draft",
            headers={"Authorization": f"Bearer {head}.{body}.{signature}"},
        )
    assert _is_problem(response, 401)


async def test_a_token_that_claims_to_represent_an_enterprise_without_the_providers_signature_is_401(
    system,
) -> None:
    """The legal representative (法定代表人) is a claim the identity provider signs: 赵六 adding
    ``rep_of: acme-corp`` to his own token breaks its signature, and he gets nothing of acme-corp's."""
    head, body, signature = (await system.token("zhaoliu")).split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    forged = base64.urlsafe_b64encode(json.dumps({**claims, "rep_of": "acme-corp"}).encode()).rstrip(b"=")
    async with system.client() as client:
        response = await client.get(
            "/api/v1/applications/prefill",
            params={"matter_code": "open-restaurant", "on_behalf_of": "acme-corp"},
            headers={"Authorization": f"Bearer {head}.{forged.decode()}.{signature}"},
        )
    assert _is_problem(response, 401)


async def test_a_wrong_password_is_401_and_says_nothing_about_the_user(system) -> None:
    async with system.client() as client:
        known = await client.post("/auth/token", json={"username": "zhangsan", "password": "nope"})
        unknown = await client.post("/auth/token", json={"username": "nobody", "password": "nope"})
    assert _is_problem(known, 401) and _is_problem(unknown, 401)
    assert known.json()["detail"] == unknown.json()["detail"]


# --- API3 broken object-property-level authorization (mass assignment): refused, never applied --------


@pytest.mark.parametrize(
    "extra",
    [
        {"status": "completed"},
        {"owner": "lisi"},
        {"applicant_id": "lisi"},
        {"acceptance_number": "YW000000000000"},
        {"roles": ["admin"]},
    ],
    ids=lambda extra: next(iter(extra)),
)
async def test_extra_fields_in_a_submission_are_refused_and_nothing_is_stored(system, victim, extra) -> None:
    zhangsan = await system.auth("zhangsan")
    body = {
        "matter_code": "newborn-birth",
        "form": victim.detail["form"],
        "materials": victim.materials,
        **extra,
    }
    async with system.client() as client:
        response = await client.post(
            "/api/v1/applications",
            json=body,
            headers={**zhangsan, "Idempotency-Key": f"mass-{next(iter(extra))}"},
        )
        mine = await client.get("/api/v1/applications", params={"limit": 100}, headers=zhangsan)
        lisis = await client.get(
            "/api/v1/applications", params={"limit": 100}, headers=await system.auth("lisi")
        )
    assert _is_problem(response, 422), response.text
    assert any(e["field"].endswith(next(iter(extra))) for e in response.json()["errors"])
    assert "YW000000000000" not in mine.text + lisis.text


@pytest.mark.parametrize(
    "extra",
    [{"roles": ["admin"]}, {"subject": "lisi"}, {"user_id": "lisi"}],
    ids=lambda extra: next(iter(extra)),
)
async def test_extra_fields_in_a_profile_update_are_refused_and_the_caller_gains_nothing(
    system, extra
) -> None:
    acme, lisi = await system.auth("acme-corp"), await system.auth("lisi")
    async with system.client() as client:
        before = (await client.get("/api/v1/notifications/profile", headers=acme)).json()
        lisis_before = (await client.get("/api/v1/notifications/profile", headers=lisi)).json()
        locale = "zh-CN" if before.get("locale") == "en" else "en"
        response = await client.put(
            "/api/v1/notifications/profile", json={"locale": locale, **extra}, headers=acme
        )
        admin_route = await client.get("/api/v1/admin/matters/newborn-birth/draft", headers=acme)
        after = (await client.get("/api/v1/notifications/profile", headers=acme)).json()
        lisis_after = (await client.get("/api/v1/notifications/profile", headers=lisi)).json()
    assert _is_problem(response, 422)
    assert any(e["field"].endswith(next(iter(extra))) for e in response.json()["errors"])
    assert admin_route.status_code == 403
    assert after == before and lisis_after == lisis_before  # refused whole: not even the locale changed


async def test_an_extra_owner_field_in_an_upload_does_not_change_the_owner(system) -> None:
    pdf = b"%PDF-1.7\n" + b"mass assignment" * 10
    async with system.client() as client:
        response = await client.post(
            "/api/v1/materials",
            headers=await system.auth("acme-corp"),
            data={"material_type": "id_card", "owner": "lisi", "owner_id": "lisi", "holder_id": "lisi"},
            files={"file": ("id.pdf", pdf, "application/pdf")},
        )
        as_lisi = await client.get(
            f"/api/v1/materials/{response.json().get('id')}", headers=await system.auth("lisi")
        )
    assert response.status_code in (201, 422), response.text
    assert as_lisi.status_code == 404


async def test_an_officer_cannot_smuggle_an_outcome_into_an_approval(system, victim) -> None:
    task = victim.task_of("ndcpa")
    async with system.client() as client:
        response = await client.post(
            f"/api/v1/tasks/{task['id']}/approve",
            json={"outcome": "rejected", "status": "cancelled", "officer_id": "officer-nhc"},
            headers=await system.auth("officer-ndcpa"),
        )
        after = await client.get(f"/api/v1/tasks/{task['id']}", headers=await system.auth("officer-ndcpa"))
    assert _is_problem(response, 422)
    assert after.json()["status"] == task["status"]


async def test_an_officer_cannot_issue_a_licence_its_item_does_not_declare(system, victim) -> None:
    """Issue 16: officer-mohrss naming a marriage certificate on its own task — 403, the task unchanged."""
    task = victim.task_of("mohrss")
    forged = {"licence_type": "marriage_cert", "licence_number": "X1", "licence_valid_until": "2099-12-31"}
    async with system.client() as client:
        officer = await system.auth("officer-mohrss")
        response = await client.post(f"/api/v1/tasks/{task['id']}/approve", json=forged, headers=officer)
        after = await client.get(f"/api/v1/tasks/{task['id']}", headers=officer)
        licences = (await client.get("/api/v1/licences", headers=await system.auth("zhangsan"))).json()
    assert _is_problem(response, 403)
    assert after.json()["status"] == task["status"]
    assert not [lic for lic in licences["items"] if lic["task_id"] == task["id"]]


async def test_only_the_issuing_department_ends_a_licence_and_a_refused_attempt_publishes_nothing(
    system,
) -> None:
    """吊销 (issue 16): the holder (403) and another department (404) change nothing and publish nothing;
    the first ``licence.revoked`` on Kafka for the licence is the issuing department's own."""
    zhangsan, nhc = await system.auth("zhangsan"), await system.auth("officer-nhc")
    async with system.client() as client:
        matter = (await client.get("/api/v1/matters/newborn-birth")).json()
        body = {
            "matter_code": "newborn-birth",
            "form": form_from_schema(matter["form_schema"]),
            "materials": {
                m["material_type"]: await upload_material(client, zhangsan, m["material_type"])
                for m in matter["materials"]
            },
            "channel": "online",
        }
        submitted = await submit_application(client, zhangsan, body)
        task = next(t for t in submitted.json()["tasks"] if t["department"] == "nhc")
        assert (
            await client.post(f"/api/v1/tasks/{task['id']}/approve", json={}, headers=nhc)
        ).status_code == 200

        async def issued() -> dict[str, Any] | None:
            held = (await client.get("/api/v1/licences", params={"limit": 100}, headers=zhangsan)).json()
            return next((lic for lic in held["items"] if lic["task_id"] == task["id"]), None)

        licence = await wait_for(issued, timeout=60, message="the licence")
        url = f"/api/v1/licences/{licence['id']}/revoke"
        by_holder = await client.post(url, json={"reason": "forged"}, headers=zhangsan)
        by_other = await client.post(url, json={"reason": "forged"}, headers=await system.auth("officer-mps"))
        still = await issued()
        by_issuer = await client.post(url, json={"reason": "依法收回"}, headers=nhc)
    assert _is_problem(by_holder, 403) and _is_problem(by_other, 404)
    assert still is not None and still["status"] == "valid"
    assert by_issuer.status_code == 200, by_issuer.text
    [first] = await read_events(
        system.kafka_bootstrap,
        topic_name(Stream.materials, system.topic_prefix),
        count=1,
        where=lambda e: e.type == LICENCE_REVOKED and e.data["licence_id"] == licence["id"],
    )
    assert first.data["reason"] == "依法收回"


# --- API4 unrestricted resource consumption ------------------------------------------------------------

LISTS = [
    ("/api/v1/applications", "zhangsan"),
    ("/api/v1/tasks", "officer-nhc"),
    ("/api/v1/matters", None),
    ("/api/v1/departments", None),
    ("/api/v1/material-types", None),
    ("/api/v1/materials", "zhangsan"),
    ("/api/v1/materials/access-log", "zhangsan"),
    ("/api/v1/licences", "zhangsan"),
    ("/api/v1/notifications", "zhangsan"),
    ("/api/v1/subscriptions", "admin"),
    ("/api/v1/rectifications", "supervisor"),
]


@pytest.mark.parametrize(("path", "user"), LISTS, ids=[p for p, _ in LISTS])
@pytest.mark.parametrize(
    "params", [{"limit": 100000}, {"limit": 0}, {"limit": -1}, {"offset": -1}, {"offset": 10**30}], ids=str
)
async def test_a_huge_or_negative_page_is_422_on_every_list(
    system, path: str, user: str | None, params: dict[str, int]
) -> None:
    headers = await system.auth(user) if user else {}
    async with system.client() as client:
        response = await client.get(path, params=params, headers=headers)
    assert _is_problem(response, 422), response.text
    assert response.json()["errors"][0]["field"].endswith(next(iter(params)))


async def test_an_oversized_body_is_413_before_it_reaches_a_service(system) -> None:
    body = b'{"matter_code": "newborn-birth", "form": {"x": "' + b"a" * (2 * 1024 * 1024) + b'"}}'
    async with system.client() as client:
        response = await client.post(
            "/api/v1/applications",
            content=body,
            headers={
                **await system.auth("zhangsan"),
                "Idempotency-Key": "too-big",
                "Content-Type": "application/json",
            },
        )
    assert _is_problem(response, 413)


@pytest.mark.parametrize("depth", [1_000, 10_000, 100_000])
async def test_deeply_nested_json_is_a_4xx_and_the_service_stays_up(system, depth: int) -> None:
    nested = b'{"matter_code": "newborn-birth", "form": ' + b'{"a":' * depth + b"1" + b"}" * depth + b"}"
    zhangsan = await system.auth("zhangsan")
    async with system.client() as client:
        response = await client.post(
            "/api/v1/applications",
            content=nested,
            headers={**zhangsan, "Idempotency-Key": f"nested-{depth}", "Content-Type": "application/json"},
        )
        profile = await client.put(
            "/api/v1/notifications/profile",
            content=nested.replace(b'"matter_code": "newborn-birth", "form"', b'"locale"'),
            headers={**zhangsan, "Content-Type": "application/json"},
        )
        after = await client.get("/readyz")
    assert 400 <= response.status_code < 500, response.text
    assert 400 <= profile.status_code < 500, profile.text
    assert after.status_code == 200, after.text


async def test_a_burst_over_the_rate_limit_is_429_with_retry_after(system) -> None:
    headers = await system.auth("officer-mot")  # an identity no other test uses: its bucket is its own
    async with system.client(limits=httpx.Limits(max_connections=200)) as client:
        responses = await asyncio.gather(
            *(client.get("/api/v1/notifications/profile", headers=headers) for _ in range(200))
        )
    limited = [r for r in responses if r.status_code == 429]
    assert limited, sorted({r.status_code for r in responses})
    assert all(_is_problem(r, 429) and int(r.headers["retry-after"]) >= 1 for r in limited)
    assert all(r.status_code in (200, 429) for r in responses)
    await asyncio.sleep(int(limited[0].headers["retry-after"]) + 1)  # leave the bucket refilled


# --- API5 broken function-level authorization → 403; routes outside the policy → 404 ------------------

FORBIDDEN = [
    ("zhangsan", "GET", "/api/v1/tasks", None),
    ("zhangsan", "POST", "/api/v1/tasks/any/approve", {}),
    ("zhangsan", "GET", "/api/v1/rectifications", None),
    ("zhangsan", "POST", "/api/v1/admin/matters", {"code": "x"}),
    ("zhangsan", "POST", "/api/v1/admin/matters/newborn-birth/retire", None),
    ("zhangsan", "GET", "/api/v1/subscriptions", None),
    ("clerk01", "POST", "/api/v1/applications/any/review", {"level": 5}),
    ("officer-nhc", "POST", "/api/v1/admin/matters/newborn-birth/publish", None),
    ("officer-nhc", "POST", "/api/v1/applications", {}),
    ("supervisor", "POST", "/api/v1/tasks/any/approve", {}),
    ("admin", "GET", "/api/v1/tasks", None),
    ("clerk01", "POST", "/api/v1/delegations", {}),
    ("zhangsan", "POST", "/api/v1/delegations/requests", {}),
    ("zhangsan", "POST", "/api/v1/delegations/in-person", {}),
    ("clerk01", "POST", "/api/v1/delegations/any/revoke", None),
    ("officer-nhc", "GET", "/api/v1/delegations", None),
]


@pytest.mark.parametrize(
    ("user", "method", "path", "body"), FORBIDDEN, ids=[f"{u}-{m}-{p}" for u, m, p, _ in FORBIDDEN]
)
async def test_a_caller_without_the_role_gets_403_problem_json(system, user, method, path, body) -> None:
    async with system.client() as client:
        response = await client.request(method, path, json=body, headers=await system.auth(user))
    assert _is_problem(response, 403), response.text


UNROUTED = [
    "/api/v1/admin/users",
    "/api/v2/matters",
    "/api/v1/internal/outbox",
    "/internal/outbox",
    "/api/v1/matters/../../internal/outbox",
    "/api/v1/%2e%2e/internal",
]


@pytest.mark.parametrize("path", UNROUTED)
async def test_a_path_outside_the_policy_table_is_404_even_for_an_admin(system, path: str) -> None:
    async with system.client() as client:
        response = await client.get(path, headers=await system.auth("admin"))
    assert _is_problem(response, 404), response.text


WRONG_METHOD = [
    ("DELETE", "/api/v1/applications/YW1"),
    ("PUT", "/api/v1/tasks/t1"),
    ("GET", "/api/v1/admin/matters"),
    ("PATCH", "/api/v1/notifications/profile"),
]


@pytest.mark.parametrize(("method", "path"), WRONG_METHOD, ids=[f"{m}-{p}" for m, p in WRONG_METHOD])
async def test_a_method_outside_the_policy_table_is_405_and_never_forwarded(system, method, path) -> None:
    async with system.client() as client:
        response = await client.request(method, path, headers=await system.auth("admin"))
    assert _is_problem(response, 405), response.text


async def test_a_405_names_the_allowed_methods(system) -> None:
    async with system.client() as client:
        response = await client.delete("/api/v1/applications/YW1", headers=await system.auth("admin"))
    assert response.headers.get("allow")


# --- API7 server-side request forgery: webhook URLs into our own network are refused ------------------

INTERNAL_URLS = [
    "http://127.0.0.1:8104/hook",
    "http://10.0.0.8/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://localhost/hook",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://0x7f000001/hook",
    "http://2130706433/hook",
    "http://127.1/hook",
    "http://0.0.0.0/hook",
    "http://192.168.1.1/hook",
    "http://172.16.0.1/hook",
    "http://[fd00::1]/hook",
    "file:///etc/passwd",
    "gopher://127.0.0.1:25/",
    "ftp://10.0.0.1/x",
    "http://user:pw@example.org/hook",
]


@pytest.mark.parametrize("url", INTERNAL_URLS)
async def test_a_webhook_pointing_inside_our_network_is_refused_with_422(system, url: str) -> None:
    # Only refused, never called: the check resolves the name and refuses before any request is made.
    admin = await system.auth("admin")
    body = {"callback_url": url, "event_types": ["gov.onematter.application.accepted"], "department": "nhc"}
    async with system.client() as client:
        response = await client.post("/api/v1/subscriptions", json=body, headers=admin)
        listed = await client.get("/api/v1/subscriptions", params={"limit": 100}, headers=admin)
    assert _is_problem(response, 422), response.text
    assert response.json()["errors"][0]["field"].endswith("callback_url")
    assert url not in listed.text


# --- API8 security misconfiguration ----------------------------------------------------------------------

_LEAKS = re.compile(
    r"Traceback|File \"|site-packages|\b[A-Z]\w*(Error|Exception)\b|sqlalchemy|asyncpg|aiokafka"
    r"|pydantic|uvicorn|starlette|line \d+"
)
BROKEN = [
    ("POST", "/api/v1/applications", b'{"matter_code": ', "zhangsan"),
    ("POST", "/api/v1/applications", b'["not", "an", "object"]', "zhangsan"),
    ("PUT", "/api/v1/notifications/profile", b"\xff\xfe\x00", "zhangsan"),
    ("POST", "/api/v1/tasks/%00/approve", b"{}", "officer-nhc"),
    ("GET", "/api/v1/matters/%F0%9F%92%A9/versions/1", None, None),
    ("GET", "/api/v1/applications?limit=abc", None, "zhangsan"),
    ("POST", "/api/v1/materials", b"--x\r\nbroken", "zhangsan"),
    ("POST", "/auth/token", b"{", None),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "user"), BROKEN, ids=[f"{m}-{p}" for m, p, _, _ in BROKEN]
)
async def test_an_error_body_shows_no_stack_trace_or_internal_names(system, method, path, body, user) -> None:
    headers = {"Content-Type": "application/json", "Idempotency-Key": "broken"}
    if path == "/api/v1/materials":
        headers["Content-Type"] = "multipart/form-data; boundary=x"
    if user:
        headers |= await system.auth(user)
    async with system.client() as client:
        response = await client.request(method, path, content=body, headers=headers)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert not _LEAKS.search(response.text), response.text


async def test_cors_never_reflects_a_foreign_origin_or_allows_any_origin_with_credentials(system) -> None:
    evil = {"Origin": "https://evil.example"}
    async with system.client() as client:
        preflight = await client.options(
            "/api/v1/applications",
            headers={
                **evil,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        actual = await client.get("/api/v1/applications", headers={**evil, **await system.auth("zhangsan")})
    for response in (preflight, actual):
        allowed = response.headers.get("access-control-allow-origin")
        assert allowed != "https://evil.example"
        assert not (allowed == "*" and response.headers.get("access-control-allow-credentials") == "true")


async def test_a_personal_response_is_not_cached_and_not_sniffed(system, victim) -> None:
    async with system.client() as client:
        response = await client.get(
            f"/api/v1/applications/{victim.number}", headers=await system.auth("zhangsan")
        )
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert "no-store" in response.headers.get("cache-control", "")


# --- API9 improper inventory: internal routes are not reachable through the gateway ---------------------


@pytest.mark.parametrize(
    "path",
    [
        "/internal/outbox",
        "/api/v1/internal/applications",
        "/admin",
        "/api/v1/matters/newborn-birth/../../../internal",
        "/redoc",
    ],
)
async def test_an_internal_or_undocumented_route_is_not_reachable_through_the_gateway(system, path) -> None:
    async with system.client() as client:
        response = await client.get(path, headers=await system.auth("admin"))
        document = (await client.get("/openapi.json")).json()
    assert response.status_code == 404
    assert all(p.startswith(("/api/v1/", "/auth/")) for p in document["paths"])


# --- Data exposure: no tokens, ID numbers or phone numbers where they are not needed, nor in any log -----


async def test_the_id_number_and_phone_reach_only_the_applicant_and_the_officers_who_need_them(
    system, victim
) -> None:
    async with system.client() as client:

        async def messages() -> str | None:
            text = (
                await client.get(
                    "/api/v1/notifications", params={"limit": 100}, headers=await system.auth("zhangsan")
                )
            ).text
            return text if victim.number in text else None

        inbox = await wait_for(messages, timeout=60, message="zhangsan's messages")
        listing = await client.get(
            "/api/v1/applications", params={"limit": 100}, headers=await system.auth("zhangsan")
        )
        clerk = await client.get(
            "/api/v1/applications", params={"limit": 100}, headers=await system.auth("clerk01")
        )
    for text in (inbox, listing.text, clerk.text):
        assert victim.id_number not in text and victim.phone not in text


@pytest.mark.parametrize("service", ["gateway", "matter-catalog", "acceptance", "material", "notification"])
async def test_no_service_log_holds_a_token_id_number_or_phone_number(system, victim, service: str) -> None:
    async with system.client() as client:  # make sure the application went all the way through
        await client.get(f"/api/v1/applications/{victim.number}", headers=await system.auth("zhangsan"))
    await asyncio.sleep(1)
    log = system.log(service)
    secrets_seen = [s for s in (victim.id_number, victim.phone, *victim.tokens) if s in log]
    assert not secrets_seen, f"{service} logged {secrets_seen}"
    assert not re.search(r"Bearer\s+[A-Za-z0-9_-]{20,}", log)
    assert not re.search(r"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.", log), "a JWT in the log"
