"""补正 and 容缺 due dates enforced end to end (issue 15): through the gateway, real Kafka and PostgreSQL.

残疾人服务一件事 is submitted on Tue 2026-12-01 at 09:00 in Beijing (``CLOCK_AS_OF``) without the photo, which
the seed catalog lets be deferred (容缺) and which only 残疾人证新办 (cdpf) needs; a 困难残疾人生活补贴 (mca)
officer asks for bank_card (补正) the same day. The seed items declare no terms of their own, so both are due
the matter's 5 working days later with 不予受理 "per the item". Hand count (no holiday or 调休 in December
2026, 国办发明电〔2025〕7号): 12-02, 03, 04, 07, 08 → both due Tue 12-08.

Acceptance is then restarted as of Mon 12-07 (one working day before: the reminders) and as of Wed 12-09
(the day after: the consequence), with the due-date round every second.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from onematter_testkit import wait_for
from onematter_testkit.applicant import submit_matter

pytestmark = pytest.mark.e2e

MATTER = "disability-services"
ACCEPTED_AT = "2026-12-01T01:00:00Z"


@pytest.fixture(scope="module")
def system_as_of(launch_system) -> Iterator[object]:  # type: ignore[no-untyped-def]
    env = {"CLOCK_AS_OF": ACCEPTED_AT, "OVERDUE_CHECK_INTERVAL_SECONDS": "1"}
    with launch_system(every_service_env=env) as running:
        yield running


async def _submit_without_photo(system, client) -> dict:  # type: ignore[no-untyped-def]
    headers = await system.auth("zhangsan")
    submitted = (await submit_matter(client, headers, MATTER, without={"photo"})).response
    assert submitted.status_code == 201, submitted.text
    return submitted.json()


async def _messages(client, headers, kind: str, number: str) -> list[dict]:  # type: ignore[no-untyped-def]
    response = await client.get("/api/v1/notifications", params={"limit": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return [m for m in response.json()["items"] if m["kind"] == kind and number in m["subject"]]


async def test_supplement_and_deferred_materials_are_reminded_then_end_their_tasks_as_the_item_says(
    system_as_of,
) -> None:  # type: ignore[no-untyped-def]
    async with system_as_of.client() as client:
        application = await _submit_without_photo(system_as_of, client)
        number = application["acceptance_number"]
        cdpf = next(t for t in application["tasks"] if t["department"] == "cdpf")
        mca = next(t for t in application["tasks"] if t["department"] == "mca")
        officer_cdpf, officer_mca = (
            await system_as_of.auth("officer-cdpf"),
            await system_as_of.auth("officer-mca"),
        )
        zhangsan = await system_as_of.auth("zhangsan")
        requested = await client.post(
            f"/api/v1/tasks/{mca['id']}/request-supplement",
            json={"materials": ["bank_card"], "reason": "账号有误"},
            headers=officer_mca,
        )
        assert requested.status_code == 200, requested.text
        assert requested.json()["supplement_due_on"] == "2026-12-08"
        assert application["supplement_due"] == "2026-12-08"
        blocked = await client.post(f"/api/v1/tasks/{cdpf['id']}/approve", json={}, headers=officer_cdpf)
        assert blocked.status_code == 409, blocked.text  # the photo it needs is still deferred

        system_as_of.restart_as_of("acceptance", "2026-12-07T01:00:00Z")

        async def two_reminders() -> bool:
            return len(await _messages(client, zhangsan, "task.supplement-reminder", number)) == 2

        await wait_for(two_reminders, timeout=90, message="the 补正 and 容缺 reminders in the inbox")
        reminders = await _messages(client, zhangsan, "task.supplement-reminder", number)
        assert all("2026-12-08" in m["body"] and "不予受理" in m["body"] for m in reminders)
        assert {"补正材料" in m["body"] for m in reminders} == {True, False}  # one each: 补正, 容缺

        system_as_of.restart_as_of("acceptance", "2026-12-09T01:00:00Z")

        async def two_expiries() -> bool:
            return len(await _messages(client, zhangsan, "task.supplement-expired", number)) == 2

        await wait_for(two_expiries, timeout=90, message="the consequences in the inbox")
        for message in await _messages(client, zhangsan, "task.supplement-expired", number):
            assert "按事项规定，不予受理" in message["body"]
            assert "not_accepted" not in message["body"] and "bank_card" not in message["body"]

        detail = (await client.get(f"/api/v1/applications/{number}", headers=zhangsan)).json()
        statuses = {t["id"]: t["status"] for t in detail["tasks"]}
        assert (statuses[cdpf["id"]], statuses[mca["id"]]) == ("not_accepted", "not_accepted")
        kinds = [e["kind"] for e in detail["timeline"]]
        for kind in ("supplement_reminder", "deferred_reminder", "supplement_expired", "deferred_expired"):
            assert kinds.count(kind) == 1, kinds
        assert detail["open_supplement"] == {}

        task = (await client.get(f"/api/v1/tasks/{mca['id']}", headers=officer_mca)).json()
        explained = task["deadline_explanation"]
        # the pause is closed on the due date, 12-08 (5 working days), not on 12-09 when the round saw it
        assert explained["pauses"] == [{"from": "2026-12-01", "to": "2026-12-08", "working_days": 5}]
        assert [(d["due_for"], d["due_on"], d["state"]) for d in explained["due_dates"]] == [
            ("supplement", "2026-12-08", "expired")
        ]
        refused = await client.post(f"/api/v1/tasks/{cdpf['id']}/approve", json={}, headers=officer_cdpf)
        assert refused.status_code == 409, refused.text  # it ended; nothing is decided any more
