"""Catalog events over real Kafka: another service's idempotent consumer keeps a local copy of the catalog."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from onematter_catalog.config import CatalogSettings
from onematter_catalog.entrypoints.app import MIGRATIONS, create_app
from onematter_events import CloudEvent, Stream, parse_payload, topic_name
from onematter_events.matters import MATTER_PUBLISHED, MATTER_RETIRED
from onematter_kit.consumer import IdempotentConsumer
from onematter_kit.database import create_engine, create_session_factory
from onematter_kit.migrations import upgrade_to_head
from onematter_kit.unit_of_work import SqlUnitOfWork
from onematter_testkit import internal_headers, make_principal, wait_for

from .conftest import Catalog, a_draft

pytestmark = pytest.mark.integration


async def _no_dead_letters(topic: str, key: bytes | None, value: bytes | None, reason: str) -> None:
    raise AssertionError(f"a catalog event was dead-lettered: {reason}")


async def test_a_published_matter_reaches_another_services_consumer(
    catalog: Catalog, kafka_bootstrap: str, tmp_path: Path
) -> None:
    # The "other service" has its own fresh database; the catalog's migrations give it the processed-events
    # table its idempotent consumer needs.
    database = f"sqlite+aiosqlite:///{tmp_path}/other-service.db"
    await upgrade_to_head(MIGRATIONS, database)
    engine = create_engine(database)
    local_copy: dict[str, Any] = {}

    async def keep(event: CloudEvent, uow: Any) -> None:
        local_copy[event.data["matter_code"]] = parse_payload(event)

    async def forget(event: CloudEvent, uow: Any) -> None:
        local_copy.pop(event.data["matter_code"], None)

    consumer = IdempotentConsumer(
        name=f"{catalog.topic_prefix}other-service.catalog",
        bootstrap_servers=kafka_bootstrap,
        uow_factory=lambda: SqlUnitOfWork(create_session_factory(engine)),
        handlers={MATTER_PUBLISHED: keep, MATTER_RETIRED: forget},
        topics=[topic_name(Stream.catalog, catalog.topic_prefix)],
        dead_letter=_no_dead_letters,
    )
    running = asyncio.create_task(consumer.run())
    try:
        draft = a_draft()
        await catalog.client.post("/api/v1/admin/matters", json=draft, headers=catalog.admin)
        await catalog.client.post(f"/api/v1/admin/matters/{draft['code']}/publish", headers=catalog.admin)

        # The seeded matters' events sit on other partitions and may be applied after ours: wait for all.
        await wait_for(
            lambda: _has_all(local_copy, draft["code"], 14), timeout=30, message="the published events"
        )
        assert local_copy[draft["code"]].version == 1
        assert local_copy[draft["code"]].form_schema["properties"]["id_number"]["pattern"]
        assert len(local_copy) == 14  # the 13 seeded matters, and ours
        await catalog.client.post("/api/v1/admin/matters/retirement/retire", headers=catalog.admin)
        await wait_for(lambda: _gone(local_copy, "retirement"), timeout=30, message="the retired event")
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await engine.dispose()


async def _has_all(copy: dict[str, Any], code: str, count: int) -> bool:
    return code in copy and len(copy) >= count


async def _gone(copy: dict[str, Any], code: str) -> bool:
    return code not in copy


async def test_publishing_succeeds_while_kafka_is_down(fresh_database_url: str, topic_prefix: str) -> None:
    settings = CatalogSettings(
        database_url=fresh_database_url,
        kafka_bootstrap_servers="127.0.0.1:1",
        kafka_topic_prefix=topic_prefix,
        environment="test",
        log_json=False,
    )
    app = create_app(settings)
    headers = internal_headers(make_principal("admin-1", "admin"), audience="matter-catalog")
    async with (
        LifespanManager(app, startup_timeout=60),  # migrates and seeds a fresh database first
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://catalog") as client,
    ):
        draft = a_draft()
        await client.post("/api/v1/admin/matters", json=draft, headers=headers)
        published = await asyncio.wait_for(
            client.post(f"/api/v1/admin/matters/{draft['code']}/publish", headers=headers), timeout=5
        )

        assert published.status_code == 201
        assert (await client.get(f"/api/v1/matters/{draft['code']}", headers=headers)).json()["version"] == 1
