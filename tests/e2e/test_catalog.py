"""The matter catalog through the one door: public reads without a token, writes for admins only."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


async def test_anyone_lists_the_five_individual_matters_through_the_gateway(system) -> None:  # type: ignore[no-untyped-def]
    async with system.client() as client:
        response = await client.get("/api/v1/matters", params={"subject": "individual"})

    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == 5
    assert {m["matter_code"] for m in page["items"]} == {
        "newborn-birth",
        "school-enrolment",
        "social-security-card-services",
        "disability-services",
        "retirement",
    }


async def test_the_guide_and_a_version_are_public_but_drafts_need_an_admin(system) -> None:  # type: ignore[no-untyped-def]
    async with system.client() as client:
        guide = await client.get("/api/v1/matters/newborn-birth/guide", headers={"accept": "text/html"})
        version = await client.get("/api/v1/matters/newborn-birth/versions/1")
        anonymous_write = await client.post("/api/v1/admin/matters", json={})
        applicant_write = await client.post(
            "/api/v1/admin/matters", json={}, headers=await system.auth("zhangsan")
        )
        admin_write = await client.post("/api/v1/admin/matters", json={}, headers=await system.auth("admin"))

    assert guide.status_code == 200 and guide.headers["content-type"].startswith("text/html")
    assert version.json()["matter_code"] == "newborn-birth"
    assert (anonymous_write.status_code, applicant_write.status_code) == (401, 403)
    assert admin_write.status_code == 422  # reached the catalog, which names the missing fields
