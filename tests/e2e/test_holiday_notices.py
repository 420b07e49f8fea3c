"""The operator loads the State Council's holiday notice for 2027; the deadlines it moves are recomputed,
published and announced — through the gateway, with real Kafka and PostgreSQL (issue 15).

The system runs "as of" 2027-01-20T02:00:00Z (``CLOCK_AS_OF``): Wednesday 2027-01-20, 10:00 in Beijing, a
year neither the State Council (yet) nor ``chinese_calendar`` arranges, so deadlines are PROVISIONAL. The
notice is the made-up one of ``onematter_testkit.notices`` (the real 2027 notice is not published).

(The brief's example — 24 working days from 2026-12-01 — does not move: its due date 2027-01-05 is the same
under both calendars, because the provisional calendar already keeps 元旦 2027-01-01 off. A 2027 deadline
across 春节 does move.)

Hand count, 残疾人服务一件事 accepted 2027-01-20 (day 0); its items take 20 (cdpf), 15, 15 (mca), 5 and 10
(mohrss) working days. Working days after 01-20: 01-21, 22 (2), 25..29 (7), 02-01..04 (11).
* Provisional 2027 (《全国年节及纪念日放假办法》 2024: 春节 = 除夕 02-05 (Fri) .. 初三 02-08 (Mon);
  初一 and 初二 fall on Saturday and Sunday, so 第六条 补假 gives 02-09 and 02-10): 02-11, 12 (13),
  15, 16 (15), 17, 18, 19 (18), 22 (19), 23 (20) → cdpf due 02-23, mca due 02-16.
* Made-up notice (春节 02-05..02-12 off, Saturday 02-20 worked): 02-15..18 (15), 19 (16), Sat 20 (17),
  22 (18), 23 (19), 24 (20) → cdpf due 02-24, mca due 02-18.
* mohrss: 5 days → 01-27, 10 days → 02-03 under both; they do not move.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from onematter_events import Stream, task_topic, topic_name
from onematter_testkit import read_events, wait_for
from onematter_testkit.applicant import submit_matter
from onematter_testkit.notices import made_up_notice_2027

pytestmark = pytest.mark.e2e

MATTER = "disability-services"
NOTICES = "/api/v1/admin/calendar/notices"
DOCUMENT = "国办发明电〔2026〕99号"


@pytest.fixture(scope="module")
def system_in_2027(launch_system) -> Iterator[object]:  # type: ignore[no-untyped-def]
    with launch_system(every_service_env={"CLOCK_AS_OF": "2027-01-20T02:00:00Z"}) as running:
        yield running


async def _submit(system, client) -> dict:  # type: ignore[no-untyped-def]
    headers = await system.auth("zhangsan")
    submitted = (await submit_matter(client, headers, MATTER)).response
    assert submitted.status_code == 201, submitted.text
    return submitted.json()


async def _read(system, client, number: str) -> dict:  # type: ignore[no-untyped-def]
    response = await client.get(f"/api/v1/applications/{number}", headers=await system.auth("zhangsan"))
    assert response.status_code == 200, response.text
    return response.json()


def _deadlines(application: dict) -> dict[str, str]:
    return {t["item_code"]: t["deadline"] for t in application["tasks"]}


async def _messages(system, client, number: str, kind: str) -> list[dict]:  # type: ignore[no-untyped-def]
    response = await client.get(
        "/api/v1/notifications", params={"limit": 100}, headers=await system.auth("zhangsan")
    )
    assert response.status_code == 200, response.text
    return [m for m in response.json()["items"] if m["kind"] == kind and number in m["subject"]]


async def test_loading_the_2027_notice_moves_a_provisional_deadline_publishes_it_and_tells_the_applicant(
    system_in_2027,
) -> None:  # type: ignore[no-untyped-def]
    system = system_in_2027
    async with system.client() as client:
        application = await _submit(system, client)
        number = application["acceptance_number"]
        assert (application["deadline"], application["deadline_provisional"]) == ("2027-02-23", True)
        admin = await system.auth("admin")

        loaded = await client.post(NOTICES, json=made_up_notice_2027(), headers=admin)

        assert loaded.status_code == 201, loaded.text
        assert (loaded.json()["year"], loaded.json()["document_number"], loaded.json()["version"]) == (
            2027,
            DOCUMENT,
            1,
        )
        after = await _read(system, client, number)
        assert (after["deadline"], after["deadline_provisional"]) == ("2027-02-24", False)
        assert _deadlines(after) == {
            "cdpf-disability-cert": "2027-02-24",
            "mca-living-subsidy": "2027-02-18",
            "mca-nursing-subsidy": "2027-02-18",
            "mohrss-disabled-employment": "2027-01-27",
            "mohrss-pension-subsidy": "2027-02-03",
        }
        cdpf = next(t for t in after["tasks"] if t["department"] == "cdpf")
        calendar = cdpf["deadline_explanation"]["calendar"]
        assert [(s["year"], s["kind"], s["reference"], s["version"]) for s in calendar] == [
            (2027, "official_notice", DOCUMENT, "1")
        ]
        listed = await client.get(NOTICES, headers=admin)
        assert [(n["year"], n["version"]) for n in listed.json()["notices"]] == [(2027, 1)]

        [moved] = await read_events(
            system.kafka_bootstrap,
            topic_name(Stream.applications, system.topic_prefix),
            count=1,
            timeout=60,
            where=lambda e: (
                e.type.endswith("application.deadline-changed") and e.data["acceptance_number"] == number
            ),
        )
        assert (moved.data["previous_deadline"], moved.data["deadline"]) == ("2027-02-23", "2027-02-24")
        assert moved.data["notice"] == {"year": 2027, "document_number": DOCUMENT, "version": 1}
        assert {t["department"] for t in moved.data["tasks"]} == {"cdpf", "mca"}
        [for_cdpf] = await read_events(
            system.kafka_bootstrap,
            task_topic("cdpf", system.topic_prefix),
            count=1,
            timeout=60,
            where=lambda e: (
                e.type.endswith("task.deadline-changed") and e.data["acceptance_number"] == number
            ),
        )
        assert (for_cdpf.data["previous_deadline"], for_cdpf.data["deadline"]) == ("2027-02-23", "2027-02-24")

        async def told() -> list[dict]:
            return await _messages(system, client, number, "application.deadline-changed")

        await wait_for(told, timeout=60, message="the applicant's message about the moved deadline")
        [message] = await told()
        assert message["body"].startswith(
            f"因国务院办公厅2027年节假日安排通知（{DOCUMENT}），您的申请「残疾人服务一件事」"
        )
        assert "由 2027-02-23 调整为 2027-02-24" in message["body"]
        assert MATTER not in message["body"]  # the matter's name, not its code

        again = await client.post(NOTICES, json=made_up_notice_2027(), headers=admin)

        assert again.status_code == 409, again.text
        assert again.headers["content-type"].startswith("application/problem+json")
        assert again.json()["type"].endswith("/notice-outdated")
        # a later message to the same applicant: once it arrived, a second announcement would have too
        asked = await client.post(
            f"/api/v1/tasks/{cdpf['id']}/request-supplement",
            json={"materials": ["photo"], "reason": "照片不清晰"},
            headers=await system.auth("officer-cdpf"),
        )
        assert asked.status_code == 200, asked.text

        async def supplement() -> list[dict]:
            return await _messages(system, client, number, "application.supplement-requested")

        await wait_for(supplement, timeout=60, message="the 补正 message after the refused reload")
        assert len(await told()) == 1
        assert (await _read(system, client, number))["deadline"] == "2027-02-24"


async def test_a_bad_notice_is_refused_with_its_problems_and_changes_nothing(system_in_2027) -> None:  # type: ignore[no-untyped-def]
    system = system_in_2027
    async with system.client() as client:
        application = await _submit(system, client)
        number = application["acceptance_number"]
        admin = await system.auth("admin")
        before = (await client.get(NOTICES, headers=admin)).json()
        notice = made_up_notice_2027(version=5, issued_on="2026-11-25")
        outside = {
            **notice,
            "holidays": [*notice["holidays"], {"name": "元旦", "first": "2028-01-01", "last": "2028-01-01"}],
        }

        # as the operator's YAML file reads (application/yaml), through the gateway
        as_yaml = yaml.safe_dump(outside, allow_unicode=True).encode()
        invalid = await client.post(
            NOTICES, content=as_yaml, headers={**admin, "content-type": "application/yaml"}
        )
        by_applicant = await client.post(NOTICES, json=notice, headers=await system.auth("zhangsan"))

        assert invalid.status_code == 422, invalid.text
        assert invalid.headers["content-type"].startswith("application/problem+json")
        assert invalid.json()["type"].endswith("/notice-invalid")
        assert any("2028-01-01" in p and "outside" in p for p in invalid.json()["problems"])
        assert by_applicant.status_code == 403
        assert (await client.get(NOTICES, headers=admin)).json() == before
        after = await _read(system, client, number)
        assert (after["deadline"], after["deadline_provisional"]) == (
            application["deadline"],
            application["deadline_provisional"],
        )
