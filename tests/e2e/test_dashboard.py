"""The API behind the reference front-end's pages, through the gateway: the window clerk's 帮办代办 with the
materials the applicant already gave, the workbench queue, the supervisor dashboard's statistics and
closing the rectification a bad review opened.

The system is shared by every e2e test, so the statistics are checked as differences.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from onematter_clock import SystemClock
from onematter_testkit.applicant import form_from_schema, submit_application, upload_material

pytestmark = pytest.mark.e2e

MATTER = "newborn-birth"


async def _submit(client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = await submit_application(client, headers, body)
    assert response.status_code == 201, response.text
    return response.json()


async def _newborn(client: httpx.AsyncClient, headers: dict[str, str], kind: str = "matters") -> dict:
    response = await client.get(f"/api/v1/statistics/{kind}", headers=headers)
    assert response.status_code == 200, response.text
    rows = {row["code"]: row for row in response.json()["items"]}
    return rows[MATTER] if kind == "matters" else rows["nhc"]


async def test_a_clerk_reuses_the_applicants_materials_and_the_dashboard_counts_it(system) -> None:  # type: ignore[no-untyped-def]
    async with system.client() as client:
        zhangsan, clerk = await system.auth("zhangsan"), await system.auth("clerk01")
        supervisor = await system.auth("supervisor")
        matter = (await client.get(f"/api/v1/matters/{MATTER}")).json()
        body = {"matter_code": MATTER, "form": form_from_schema(matter["form_schema"]), "channel": "online"}
        uploaded = {
            m["material_type"]: await upload_material(client, zhangsan, m["material_type"])
            for m in matter["materials"]
        }
        await _submit(client, zhangsan, {**body, "materials": uploaded})
        before, nhc_before = (
            await _newborn(client, supervisor),
            await _newborn(client, supervisor, "departments"),
        )

        # 帮办代办 (issue 16): only under a delegation zhangsan granted the clerk in her account
        granted = await client.post(
            "/api/v1/delegations",
            json={
                "delegate_id": "clerk01",
                "matter_codes": [MATTER],
                "actions": ["read", "submit"],
                "valid_until": (SystemClock().now() + timedelta(days=1)).isoformat(),
            },
            headers=zhangsan,
        )
        assert granted.status_code == 201, granted.text
        # the clerk sees what zhangsan already gave and submits without a single upload
        mine = (
            await client.get("/api/v1/applications/prefill", params={"matter_code": MATTER}, headers=zhangsan)
        ).json()
        known = await client.get(
            "/api/v1/applications/prefill",
            params={"matter_code": MATTER, "on_behalf_of": mine["applicant_id"]},
            headers=clerk,
        )
        assert known.status_code == 200, known.text
        coverage = known.json()["materials"]
        assert all(m["covered_by"] in ("licence", "earlier_material") for m in coverage)
        reused = {
            m["material_type"]: m["material_id"] for m in coverage if m["covered_by"] == "earlier_material"
        }
        # the applicant brought a new photo: the clerk scans it into zhangsan's locker
        reused["photo"] = await upload_material(
            client, clerk, "photo", on_behalf_of=mine["applicant_id"], delegation_id=granted.json()["id"]
        )
        log = (await client.get("/api/v1/materials/access-log", headers=zhangsan)).json()["items"]
        assert (reused["photo"], "uploaded") in {(e["material_id"], e["action"]) for e in log}
        receipt = await _submit(
            client,
            clerk,
            {**body, "materials": reused, "channel": "window", "on_behalf_of": mine["applicant_id"]},
        )
        assert (
            receipt["acceptance_number"].startswith("YJS-")
            and receipt["submitted_by"] != receipt["applicant_id"]
        )
        await client.post(f"/api/v1/delegations/{granted.json()['id']}/revoke", headers=zhangsan)

        # the workbench finds the task by acceptance number, with its deadline
        officer = await system.auth("officer-nhc")
        queue = await client.get(
            "/api/v1/tasks", params={"acceptance_number": receipt["acceptance_number"]}, headers=officer
        )
        [task] = queue.json()["items"]
        assert task["overdue"] is False and task["working_days_left"] >= 0 and task["deadline"]
        assert task["applicant_id"] == mine["applicant_id"]

        after, nhc_after = (
            await _newborn(client, supervisor),
            await _newborn(client, supervisor, "departments"),
        )
        assert after["applications"] - before["applications"] >= 1
        assert after["materials_avoided"] - before["materials_avoided"] >= len(coverage) - 1
        assert nhc_after["applications"] - nhc_before["applications"] >= 1
        assert after["name"] == "新生儿出生一件事" and nhc_after["name"] not in ("", "nhc")

        # a bad review opens a rectification; the supervisor closes it
        for item in receipt["tasks"]:
            approver = await system.auth(f"officer-{item['department']}")
            approved = await client.post(f"/api/v1/tasks/{item['id']}/approve", json={}, headers=approver)
            assert approved.status_code == 200, approved.text
        path = f"/api/v1/applications/{receipt['acceptance_number']}"
        bad = await client.post(f"{path}/review", json={"level": 1, "comment": "排队太久"}, headers=zhangsan)
        assert bad.status_code == 201, bad.text
        rectification = bad.json()["rectification"]["id"]
        closed = await client.post(
            f"/api/v1/rectifications/{rectification}/close",
            json={"note": "窗口已增加人手"},
            headers=supervisor,
        )
        assert closed.status_code == 200, closed.text
        assert closed.json()["status"] == "closed"
        done = await _newborn(client, supervisor)
        assert done["completed"] - after["completed"] >= 1


async def test_statistics_are_for_supervisors_and_a_bad_period_is_a_problem(system) -> None:  # type: ignore[no-untyped-def]
    async with system.client() as client:
        applicant = await client.get("/api/v1/statistics/matters", headers=await system.auth("zhangsan"))
        anonymous = await client.get("/api/v1/statistics/departments")
        admin = await client.get("/api/v1/statistics/departments", headers=await system.auth("admin"))
        bad = await client.get(
            "/api/v1/statistics/matters",
            params={"from": "2026-02-30"},
            headers=await system.auth("supervisor"),
        )
        spec = (await client.get("/openapi.json")).json()

    assert (applicant.status_code, anonymous.status_code, admin.status_code) == (403, 401, 200)
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert {"/api/v1/statistics/matters", "/api/v1/rectifications/{rectification_id}/close"} <= set(
        spec["paths"]
    )
