"""The material service in-process on the real PostgreSQL and Kafka, with its own topics and blob folder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from onematter_clock import Clock, FixedClock
from onematter_kit.identity import INTERNAL_HEADER, InternalTokenVerifier
from onematter_material.config import MaterialSettings
from onematter_material.entrypoints.app import create_app

#: How long the app may take to stop. The runtime bounds its own stop (each worker's Kafka goodbye is
#: cut short by the kit), so this only has to exceed that bound; asgi-lifespan's default of 5 s did not
#: on a loaded machine (issue 14: a teardown error in test_supplement_grants.py).
SHUTDOWN_TIMEOUT = 30


@pytest.fixture
def settings(
    fresh_database_url: str, kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> MaterialSettings:
    return MaterialSettings(
        database_url=fresh_database_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        kafka_topic_prefix=topic_prefix,
        environment="test",
        material_storage_dir=tmp_path / "blobs",
        log_json=False,
        log_level="WARNING",
    )


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> Clock | None:
    """The service's clock: the settings' (real time), or one standing still at the instant a test gives
    with ``@pytest.mark.parametrize("clock", [instant], indirect=True)``."""
    at: datetime | None = getattr(request, "param", None)
    return FixedClock(at) if at is not None else None


@pytest.fixture
def delegations() -> dict[str, dict[str, Any]]:
    """The acceptance service's delegations as ``GET /api/v1/delegations/{id}`` answers them; a test adds
    what it needs. Answered only to the delegate or the applicant named (404 otherwise), like acceptance."""
    return {}


@pytest.fixture
def acceptance_transport(
    settings: MaterialSettings, delegations: dict[str, dict[str, Any]]
) -> httpx.MockTransport:
    verifier = InternalTokenVerifier(settings.internal_token_secret, audience="acceptance")

    def answer(request: httpx.Request) -> httpx.Response:
        caller = verifier.verify(request.headers.get(INTERNAL_HEADER))
        found = delegations.get(request.url.path.rsplit("/", 1)[-1])
        if found is None or caller.subject not in (found["delegate_id"], found["applicant_id"]):
            return httpx.Response(404, json={"title": "Not found"})
        return httpx.Response(200, json=found)

    return httpx.MockTransport(answer)


@pytest.fixture
async def app(
    settings: MaterialSettings, clock: Clock | None, acceptance_transport: httpx.MockTransport
) -> AsyncIterator[FastAPI]:
    application = create_app(settings, clock=clock, acceptance_transport=acceptance_transport)
    async with LifespanManager(application, startup_timeout=60, shutdown_timeout=SHUTDOWN_TIMEOUT):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://material") as http:
        yield http
