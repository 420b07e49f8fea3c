"""帮办代办: a window clerk uploads into the locker of the applicant at the counter, and it is logged."""

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


async def test_a_clerks_upload_lands_in_the_applicants_locker_and_in_their_access_log(client):
    owner, clerk = applicant(), make_principal(random_id("clerk"), "clerk")

    uploaded = await _clerk_upload(client, clerk, {"on_behalf_of": owner.subject})

    assert uploaded.status_code == 201, uploaded.text
    locker = (await client.get("/api/v1/materials", headers=headers(owner))).json()
    assert [m["id"] for m in locker["items"]] == [uploaded.json()["id"]]
    log = (await client.get("/api/v1/materials/access-log", headers=headers(owner))).json()
    assert [(e["reader_id"], e["action"]) for e in log["items"]] == [(clerk.subject, "uploaded")]


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
