"""帮办代办: a delegate uploads into the locker of the applicant who granted it a delegation with
``submit``, and it is logged with the delegation; without one it is refused and nothing is stored."""

from __future__ import annotations

import pytest
from onematter_testkit import make_principal, random_id

from .helpers import applicant, headers, pdf_bytes

pytestmark = pytest.mark.integration


async def _clerk_upload(client, clerk, fields: dict[str, str]):
    return await client.post(
        "/api/v1/materials",
        headers=headers(clerk),
        data={"material_type": "id_card", **fields},
        files={"file": ("scan.pdf", pdf_bytes(), "application/pdf")},
    )


def _delegation(delegations, owner, delegate, **changes) -> str:
    delegation_id = random_id("delegation")
    delegations[delegation_id] = {
        "id": delegation_id,
        "applicant_id": owner.subject,
        "delegate_id": delegate.subject,
        "actions": ["read", "submit"],
        "status": "active",
        "valid_until": "2999-12-31T23:59:59+08:00",  # the service runs on the real clock here
    } | changes
    return delegation_id


async def test_a_clerks_upload_under_a_delegation_lands_in_the_locker_and_in_the_access_log(
    client, delegations
):
    owner, clerk = applicant(), make_principal(random_id("clerk"), "clerk")
    delegation_id = _delegation(delegations, owner, clerk)

    uploaded = await _clerk_upload(
        client, clerk, {"on_behalf_of": owner.subject, "delegation_id": delegation_id}
    )

    assert uploaded.status_code == 201, uploaded.text
    locker = (await client.get("/api/v1/materials", headers=headers(owner))).json()
    assert [m["id"] for m in locker["items"]] == [uploaded.json()["id"]]
    log = (await client.get("/api/v1/materials/access-log", headers=headers(owner))).json()
    assert [(e["reader_id"], e["action"], e["delegation_id"]) for e in log["items"]] == [
        (clerk.subject, "uploaded", delegation_id)
    ]


async def test_an_upload_for_someone_else_without_a_delegation_in_force_is_refused_and_nothing_stored(
    client, delegations
):
    owner, clerk, other_clerk = applicant(), *(make_principal(random_id("clerk"), "clerk") for _ in range(2))
    read_only = _delegation(delegations, owner, clerk, actions=["read"])
    revoked = _delegation(delegations, owner, clerk, status="revoked")
    someone_elses = _delegation(delegations, owner, other_clerk)
    for fields in (
        {"on_behalf_of": owner.subject},
        {"on_behalf_of": owner.subject, "delegation_id": "no-such"},
        {"on_behalf_of": owner.subject, "delegation_id": read_only},
        {"on_behalf_of": owner.subject, "delegation_id": revoked},
        {"on_behalf_of": owner.subject, "delegation_id": someone_elses},
    ):
        refused = await _clerk_upload(client, clerk, fields)
        assert refused.status_code == 403, fields
        assert refused.headers["content-type"].startswith("application/problem+json")

    locker = (await client.get("/api/v1/materials", headers=headers(owner))).json()
    assert locker["total"] == 0


async def test_a_clerk_must_name_the_applicant_and_an_applicant_cannot_fill_another_locker(client):
    clerk, owner, other = make_principal(random_id("clerk"), "clerk"), applicant(), applicant()
    officer = make_principal(random_id("officer"), "officer", department="nhc")

    anonymous_target = await _clerk_upload(client, clerk, {})
    someone_elses = await _clerk_upload(client, owner, {"on_behalf_of": other.subject})
    by_officer = await _clerk_upload(client, officer, {"on_behalf_of": owner.subject})
    own = await _clerk_upload(client, owner, {"on_behalf_of": owner.subject})

    assert anonymous_target.status_code == 422
    assert anonymous_target.json()["errors"][0]["field"] == "on_behalf_of"
    assert (someone_elses.status_code, by_officer.status_code, own.status_code) == (403, 403, 201)
    own_log = (await client.get("/api/v1/materials/access-log", headers=headers(owner))).json()
    assert own_log["total"] == 0
