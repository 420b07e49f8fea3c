"""The legal clock in China time through the gateway, with real Kafka and PostgreSQL (issue 15).

The system runs "as of" 2026-11-30T20:04:52Z (``CLOCK_AS_OF``), which is 2026-12-01 04:04:52 in Beijing.
残疾人服务一件事's longest item (残疾人证新办, cdpf) takes 20 working days.

Hand count (December 2026 has no holiday or 调休 in 国办发明电〔2025〕7号; 12-01 is a Tuesday): the working
days after 12-01 are 12-02..04 (3), 07..11 (8), 14..18 (13), 21..25 (18), 28 (19), 29 (20), so the due date
is 12-29, and on 12-01 the working days left, (12-01, 12-29], are those same 20. The issue's "19 left"
counts one fewer than its own due date allows; 20 is the count of the rule used everywhere (working days in
(today, due]).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from onematter_testkit import wait_for
from onematter_testkit.applicant import submit_matter, upload_material

pytestmark = pytest.mark.e2e

MATTER = "disability-services"


@pytest.fixture(scope="module")
def system_as_of(launch_system) -> Iterator[object]:  # type: ignore[no-untyped-def]
    with launch_system(every_service_env={"CLOCK_AS_OF": "2026-11-30T20:04:52Z"}) as running:
        yield running


async def _submit(system, client, who: str, *, without: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    headers = await system.auth(who)
    submitted = (await submit_matter(client, headers, MATTER, without={without} if without else ())).response
    assert submitted.status_code == 201, submitted.text
    return submitted.json()


async def test_a_night_submission_in_utc_is_numbered_and_counted_on_the_china_date(system_as_of) -> None:  # type: ignore[no-untyped-def]
    async with system_as_of.client() as client:
        application = await _submit(system_as_of, client, "zhangsan")
        cdpf = next(t for t in application["tasks"] if t["department"] == "cdpf")

        assert application["acceptance_number"].startswith("YJS-20261201-")
        assert application["accepted_at"].startswith("2026-12-01T04:") and application[
            "accepted_at"
        ].endswith("+08:00")
        assert application["deadline"] == "2026-12-29" and application["deadline_provisional"] is False
        explained = cdpf["deadline_explanation"]
        assert (explained["start"], explained["due"], explained["working_days"]) == (
            "2026-12-01",
            "2026-12-29",
            20,
        )
        assert cdpf["working_days_left"] == 20
        assert [source["kind"] for source in explained["calendar"]] == ["chinese_calendar"]
        assert explained["non_working_day_acceptance"]["rule"] == "count_from_next_working_day"


async def _inbox(client, headers) -> list[dict]:  # type: ignore[no-untyped-def]
    response = await client.get("/api/v1/notifications", params={"limit": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_a_supplement_request_outside_the_task_or_its_bounds_changes_nothing(system_as_of) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: a material type that does not exist with 100 KB of text, or a due date in the past → 422
    problem+json; the task still runs, its clock is not paused, and the applicant's inbox gets no 补正."""
    async with system_as_of.client() as client:
        application = await _submit(system_as_of, client, "zhangsan")
        number = application["acceptance_number"]
        cdpf = next(t for t in application["tasks"] if t["department"] == "cdpf")
        officer = await system_as_of.auth("officer-cdpf")
        url = f"/api/v1/tasks/{cdpf['id']}/request-supplement"

        flood = await client.post(
            url, json={"materials": ["no-such-type"], "reason": "x" * 100_000}, headers=officer
        )
        past = await client.post(
            url,
            json={"materials": ["photo"], "reason": "照片不清晰", "due_on": "2026-11-30"},
            headers=officer,
        )
        stranger = await client.post(
            url, json={"materials": ["no-such-type"], "reason": "缺"}, headers=officer
        )

        for refused in (flood, past, stranger):
            assert refused.status_code == 422, refused.text
            assert refused.headers["content-type"].startswith("application/problem+json")
        assert "x" * 100 not in flood.text  # the text is not echoed back
        assert [e["field"] for e in past.json()["errors"]] == ["due_on"]
        assert [e["field"] for e in stranger.json()["errors"]] == ["materials.0"]
        task = (await client.get(f"/api/v1/tasks/{cdpf['id']}", headers=officer)).json()
        assert (task["status"], task["deadline"], task["supplement_due_on"]) == (
            "in_progress",
            "2026-12-29",
            None,
        )
        assert task["deadline_explanation"]["pauses"] == []
        # a valid request afterwards, on another task: its message comes after any the refusals had caused
        mca = next(t for t in application["tasks"] if t["department"] == "mca")
        valid = await client.post(
            f"/api/v1/tasks/{mca['id']}/request-supplement",
            json={"materials": ["bank_card"], "reason": "账号有误"},
            headers=await system_as_of.auth("officer-mca"),
        )
        assert valid.status_code == 200, valid.text
        zhangsan = await system_as_of.auth("zhangsan")

        async def supplement_messages() -> list[dict]:
            inbox = await _inbox(client, zhangsan)
            return [
                m for m in inbox if m["kind"] == "application.supplement-requested" and number in m["subject"]
            ]

        await wait_for(supplement_messages, timeout=60, message="the valid 补正 message")
        [message] = await supplement_messages()
        assert "no-such-type" not in message["body"] and "照片" not in message["body"]


async def test_a_supplement_request_is_due_five_working_days_later_by_default(system_as_of) -> None:  # type: ignore[no-untyped-def]
    async with system_as_of.client() as client:
        application = await _submit(system_as_of, client, "zhangsan")
        cdpf = next(t for t in application["tasks"] if t["department"] == "cdpf")
        officer = await system_as_of.auth("officer-cdpf")

        requested = await client.post(
            f"/api/v1/tasks/{cdpf['id']}/request-supplement",
            json={"materials": ["photo"], "reason": "照片不清晰"},
            headers=officer,
        )

        assert requested.status_code == 200, requested.text
        # Tue 12-01 + 5 working days: 12-02, 03, 04, 07, 08
        assert requested.json()["supplement_due_on"] == "2026-12-08"
        assert requested.json()["status"] == "waiting_supplement"


async def test_a_task_cannot_be_approved_while_a_material_it_needs_is_deferred(system_as_of) -> None:  # type: ignore[no-untyped-def]
    """容缺: photo (deferrable in the seed catalog) is missing; 残疾人证新办 (cdpf) needs it, the mca item
    does not. cdpf's approval is refused until the photo is handed in."""
    async with system_as_of.client() as client:
        application = await _submit(system_as_of, client, "zhangsan", without="photo")
        number = application["acceptance_number"]
        assert application["deferred_materials"] == ["photo"]
        cdpf = next(t for t in application["tasks"] if t["department"] == "cdpf")
        mca = next(t for t in application["tasks"] if t["department"] == "mca")
        officer_cdpf = await system_as_of.auth("officer-cdpf")

        blocked = await client.post(f"/api/v1/tasks/{cdpf['id']}/approve", json={}, headers=officer_cdpf)
        other = await client.post(
            f"/api/v1/tasks/{mca['id']}/approve", json={}, headers=await system_as_of.auth("officer-mca")
        )

        assert blocked.status_code == 409, blocked.text
        assert blocked.headers["content-type"].startswith("application/problem+json")
        assert "deferred" in blocked.json()["detail"]
        assert other.status_code == 200, other.text
        zhangsan = await system_as_of.auth("zhangsan")
        photo = await upload_material(client, zhangsan, "photo")
        handed_in = await client.post(
            f"/api/v1/applications/{number}/supplements",
            json={"materials": {"photo": photo}},
            headers=zhangsan,
        )
        assert handed_in.status_code == 200, handed_in.text
        approved = await client.post(f"/api/v1/tasks/{cdpf['id']}/approve", json={}, headers=officer_cdpf)
        assert approved.status_code == 200, approved.text


async def test_the_admin_sees_which_notices_the_legal_clock_uses_and_an_applicant_does_not(
    system_as_of,
) -> None:  # type: ignore[no-untyped-def]
    async with system_as_of.client() as client:
        listed = await client.get("/api/v1/admin/calendar/notices", headers=await system_as_of.auth("admin"))
        refused = await client.get(
            "/api/v1/admin/calendar/notices", headers=await system_as_of.auth("zhangsan")
        )

        assert listed.status_code == 200, listed.text
        assert listed.json()["notices"] == []  # no notices file: chinese_calendar, then provisional years
        assert listed.json()["non_working_day_rule"] == "count_from_next_working_day"
        assert refused.status_code == 403
