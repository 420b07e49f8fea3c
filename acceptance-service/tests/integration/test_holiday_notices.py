"""Loading an official holiday notice through the admin API, on real PostgreSQL and Kafka (issue 15).

Hand count (as in tests/unit/domain/test_deadline_changes.py): accepted Wednesday 2027-01-20, mohrss's
item takes 20 working days — due 02-23 on the provisional 2027 calendar (春节 from the statute: 02-05, 02-08,
补假 02-09 and 02-10), 02-24 under the made-up notice (02-05..12 off, Saturday 02-20 worked).
"""

from __future__ import annotations

import asyncio
from datetime import date

import httpx
import yaml
from acceptance_builders import notice_2027
from acceptance_testing import newborn_matter, submission
from asgi_lifespan import LifespanManager
from onematter_acceptance.config import AcceptanceSettings
from onematter_acceptance.entrypoints.app import create_app
from onematter_events import Stream, task_topic, topic_name
from onematter_testkit import random_id, read_events, wait_for

URL = "/api/v1/admin/calendar/notices"
MOVED = "gov.onematter.application.deadline-changed"


async def _application_in_2027(service) -> dict:  # type: ignore[no-untyped-def]
    service.pin(date(2027, 1, 20))
    matter = newborn_matter(version=2, deferrable=frozenset({"photo"}), committed_days={"mohrss": 20})
    await service.publish_matter(matter)
    applicant = random_id("zhangsan")
    submitted = await service.submit(applicant, body=submission(service.materials.upload_all(applicant)))
    assert submitted.status_code == 201, submitted.text
    assert (submitted.json()["deadline"], submitted.json()["deadline_provisional"]) == ("2027-02-23", True)
    return {**submitted.json(), "applicant": applicant}


async def test_an_admin_loads_a_notice_and_the_deadline_it_moves_is_stored_and_published(service):
    application = await _application_in_2027(service)
    admin = service.headers("admin", "admin")

    loaded = await service.client.post(URL, json=notice_2027(), headers=admin)

    assert loaded.status_code == 201, loaded.text
    assert (loaded.json()["document_number"], loaded.json()["deadlines_moved"]) == (
        "国办发明电〔2026〕99号",
        1,
    )
    assert loaded.json()["loaded_at"].endswith("+08:00")
    number = application["acceptance_number"]
    read = await service.client.get(
        f"/api/v1/applications/{number}", headers=service.headers(application["applicant"], "applicant")
    )
    assert (read.json()["deadline"], read.json()["deadline_provisional"]) == ("2027-02-24", False)
    [moved] = await read_events(
        service.kafka,
        topic_name(Stream.applications, service.prefix),
        count=1,
        where=lambda e: e.type == MOVED and e.data["acceptance_number"] == number,
    )
    assert (moved.data["previous_deadline"], moved.data["deadline"]) == ("2027-02-23", "2027-02-24")
    [task] = await read_events(
        service.kafka,
        task_topic("mohrss", service.prefix),
        count=1,
        where=lambda e: e.type == "gov.onematter.task.deadline-changed",
    )
    assert task.data["notice"]["version"] == 1
    mohrss = next(t for t in read.json()["tasks"] if t["department"] == "mohrss")
    official = [s for s in mohrss["deadline_explanation"]["calendar"] if s["kind"] == "official_notice"]
    assert [(s["reference"], s["version"]) for s in official] == [("国办发明电〔2026〕99号", "1")]


async def test_a_refused_notice_changes_nothing(service):
    application = await _application_in_2027(service)
    admin = service.headers("admin", "admin")
    outside = {
        **notice_2027(),
        "holidays": [
            *notice_2027()["holidays"],
            {"name": "端午节", "first": "2028-05-30", "last": "2028-05-30"},
        ],
    }

    invalid = await service.client.post(URL, json=outside, headers=admin)
    first = await service.client.post(URL, json=notice_2027(), headers=admin)
    again = await service.client.post(URL, json=notice_2027(), headers=admin)

    assert invalid.status_code == 422 and invalid.headers["content-type"].startswith(
        "application/problem+json"
    )
    assert invalid.json()["type"].endswith("/notice-invalid")
    assert any("2028-05-30" in p and "outside" in p for p in invalid.json()["problems"])
    assert first.status_code == 201
    assert again.status_code == 409 and again.json()["type"].endswith("/notice-outdated")
    listed = await service.client.get(URL, headers=admin)
    assert [(n["year"], n["version"]) for n in listed.json()["notices"]] == [(2027, 1)]
    number = application["acceptance_number"]
    read = await service.client.get(
        f"/api/v1/applications/{number}", headers=service.headers(application["applicant"], "applicant")
    )
    assert read.json()["deadline"] == "2027-02-24"  # moved once, by the accepted notice


async def test_two_concurrent_loads_of_the_same_notice_store_and_announce_it_once(service):
    await _application_in_2027(service)
    admin = service.headers("admin", "admin")
    body = yaml.safe_dump(notice_2027(), allow_unicode=True).encode()
    headers = {**admin, "content-type": "application/yaml"}

    answers = await asyncio.gather(
        *(service.client.post(URL, content=body, headers=headers) for _ in range(2))
    )

    assert sorted(a.status_code for a in answers) == [201, 409]
    async with service.app.state.runtime.uow() as uow:
        assert [n.version for n in await uow.notices.in_force()] == [1]
        assert await uow.notices.latest_id() is not None


async def test_a_notice_in_another_media_type_is_refused(service):
    admin = {**service.headers("admin", "admin"), "content-type": "text/plain"}

    refused = await service.client.post(URL, content=b"year: 2027", headers=admin)

    assert refused.status_code == 415


async def test_make_run_on_sqlite_loads_a_notice_and_moves_the_deadline_too(sqlite_service):
    application = await _application_in_2027(sqlite_service)

    loaded = await sqlite_service.client.post(
        URL, json=notice_2027(), headers=sqlite_service.headers("admin", "admin")
    )

    assert loaded.status_code == 201, loaded.text
    assert loaded.json()["deadlines_moved"] == 1
    number = application["acceptance_number"]
    headers = sqlite_service.headers(application["applicant"], "applicant")
    read = await sqlite_service.client.get(f"/api/v1/applications/{number}", headers=headers)
    assert read.json()["deadline"] == "2027-02-24"


async def test_a_replica_without_workers_counts_with_a_notice_another_replica_loaded(
    service, fresh_database_url, kafka_bootstrap, topic_prefix
):
    """A replica started with ``RUN_WORKERS=false`` runs no overdue round; its calendar still follows the
    notices stored by another: its next application is due 02-24 (the notice), not 02-23 (provisional)."""
    await _application_in_2027(service)
    settings = AcceptanceSettings(
        database_url=fresh_database_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        kafka_topic_prefix=topic_prefix,
        environment="test",
        log_json=False,
        run_workers=False,
        calendar_refresh_interval_seconds=0.2,
    )
    replica = create_app(settings, material_transport=service.materials.transport())
    async with (
        LifespanManager(replica),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=replica), base_url="http://replica") as client,
    ):
        replica.state.runtime.clock = service.app.state.runtime.clock
        loaded = await service.client.post(URL, json=notice_2027(), headers=service.headers("admin", "admin"))
        assert loaded.status_code == 201, loaded.text

        async def calendar_has_the_notice() -> bool:
            calendar = replica.state.runtime.extras["collaborators"].calendar
            return calendar.notice_for(2027) is not None

        await wait_for(calendar_has_the_notice, timeout=10, message="the replica's calendar to change")
        applicant = random_id("zhangsan")
        body = submission(service.materials.upload_all(applicant))
        headers = {**service.headers(applicant, "applicant"), "Idempotency-Key": random_id("key")}
        submitted = await client.post("/api/v1/applications", json=body, headers=headers)

    assert submitted.status_code == 201, submitted.text
    assert (submitted.json()["deadline"], submitted.json()["deadline_provisional"]) == ("2027-02-24", False)
