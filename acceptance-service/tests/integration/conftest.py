"""An acceptance service in-process on real PostgreSQL/SQLite and Kafka, fed by a real ``MatterPublished``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from acceptance_testing import FakeMaterialService, newborn_matter, published_event
from asgi_lifespan import LifespanManager
from onematter_acceptance.config import AcceptanceSettings
from onematter_acceptance.entrypoints.app import create_app
from onematter_acceptance.service_layer.collaborators import Collaborators
from onematter_acceptance.service_layer.commands import CheckOverdue
from onematter_acceptance.service_layer.overdue import check_overdue
from onematter_clock import FixedClock
from onematter_events import Stream, topic_name
from onematter_kit.kafka import create_producer, ensure_topics
from onematter_testkit import internal_headers, make_principal, random_id, wait_for


@dataclass
class Service:
    client: httpx.AsyncClient
    app: Any
    materials: FakeMaterialService
    kafka: str
    prefix: str

    @property
    def collaborators(self) -> Collaborators:
        return self.app.state.runtime.extras["collaborators"]

    def pin(self, day: date) -> None:
        """Run the service as of 09:00 UTC (17:00 in Beijing) on ``day``: its one clock stands still there."""
        self.app.state.runtime.clock = FixedClock(datetime(day.year, day.month, day.day, 9, tzinfo=UTC))

    async def check_overdue(self, today: date | None = None) -> int:
        """One round of the overdue check, as the worker runs it."""
        uow = self.app.state.runtime.uow()
        return await check_overdue(CheckOverdue(today=today), uow, calendar=self.collaborators.calendar)

    async def publish_matter(self, matter: Any) -> None:
        """Publish ``matter`` on the catalog topic and wait until acceptance's copy has it."""
        await publish(self.kafka, self.prefix, published_event(matter))

        async def arrived() -> bool:
            async with self.app.state.runtime.uow() as uow:
                return await uow.matters.version(matter.matter_code, matter.version) is not None

        await wait_for(arrived, timeout=60, message=f"{matter.matter_code} in acceptance's catalog copy")

    def headers(self, subject: str, *roles: str, department: str | None = None) -> dict[str, str]:
        return internal_headers(make_principal(subject, *roles, department=department), audience="acceptance")

    async def grant(
        self, applicant: str, delegate: str, *, actions: tuple[str, ...] = ("read", "submit")
    ) -> str:
        """``applicant`` grants ``delegate`` a delegation (委托) for 新生儿出生一件事, valid for a day by the
        service's own clock; returns its id."""
        until = self.app.state.runtime.clock.now() + timedelta(days=1)
        response = await self.client.post(
            "/api/v1/delegations",
            json={
                "delegate_id": delegate,
                "matter_codes": ["newborn-birth"],
                "actions": list(actions),
                "valid_until": until.isoformat(),
            },
            headers=self.headers(applicant, "applicant"),
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def submit(
        self,
        applicant: str,
        *,
        key: str | None = None,
        body: dict[str, Any] | None = None,
        caller: tuple[str, ...] = ("applicant",),
        caller_id: str | None = None,
    ) -> httpx.Response:
        headers = {
            **self.headers(caller_id or applicant, *caller),
            "Idempotency-Key": key or random_id("key"),
        }
        return await self.client.post("/api/v1/applications", json=body, headers=headers)


async def publish(kafka: str, prefix: str, event: Any) -> None:
    producer = create_producer(kafka, client_id="acceptance-tests")
    await producer.start()
    try:
        await producer.send_and_wait(
            topic_name(Stream.catalog, prefix), value=event.to_bytes(), key=event.data["matter_code"].encode()
        )
    finally:
        await producer.stop()


async def _service(database_url: str, kafka: str, prefix: str) -> AsyncIterator[Service]:
    await ensure_topics(kafka, [topic_name(Stream.catalog, prefix)])
    materials = FakeMaterialService()
    settings = AcceptanceSettings(
        database_url=database_url,
        kafka_bootstrap_servers=kafka,
        kafka_topic_prefix=prefix,
        environment="test",
        log_json=False,
        overdue_check_interval_seconds=3600,
    )
    app = create_app(settings, material_transport=materials.transport())
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://acceptance") as client,
    ):
        await publish(kafka, prefix, published_event(newborn_matter(deferrable=frozenset({"photo"}))))

        async def matter_arrived() -> bool:
            async with app.state.runtime.uow() as uow:
                return await uow.matters.current("newborn-birth") is not None

        await wait_for(matter_arrived, timeout=60, message="the published matter to reach the local copy")
        yield Service(client=client, app=app, materials=materials, kafka=kafka, prefix=prefix)


@pytest.fixture
async def service(fresh_database_url: str, kafka_bootstrap: str, topic_prefix: str) -> AsyncIterator[Service]:
    async for svc in _service(fresh_database_url, kafka_bootstrap, topic_prefix):
        yield svc


@pytest.fixture
async def sqlite_service(sqlite_url: str, kafka_bootstrap: str, topic_prefix: str) -> AsyncIterator[Service]:
    async for svc in _service(sqlite_url, kafka_bootstrap, topic_prefix):
        yield svc
