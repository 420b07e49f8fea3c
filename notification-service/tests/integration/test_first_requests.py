"""A user's first requests arriving together (the inbox page and its live stream open at once) on
PostgreSQL and on SQLite (the one-machine default)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from onematter_kit.identity import Role
from onematter_notification.config import NotificationSettings
from onematter_notification.entrypoints.app import create_app
from onematter_testkit import internal_headers, make_principal, random_id

pytestmark = pytest.mark.integration


@pytest.fixture
async def sqlite_client(sqlite_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The app on SQLite, without Kafka or workers: only the HTTP side matters here."""
    settings = NotificationSettings(
        database_url=sqlite_url, environment="test", kafka_enabled=False, run_workers=False, log_json=False
    )
    application = create_app(settings)
    async with (
        LifespanManager(application, startup_timeout=60),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application), base_url="http://notification"
        ) as http,
    ):
        yield http


async def _first_requests_all_succeed(http: httpx.AsyncClient) -> None:
    principal = make_principal(random_id("user"), Role.applicant, email="first@example.org")
    headers = internal_headers(principal, audience="notification")
    paths = ["/api/v1/notifications", "/api/v1/notifications/profile"] * 10

    responses = await asyncio.gather(*(http.get(path, headers=headers) for path in paths))

    assert [r.status_code for r in responses] == [200] * len(paths), [r.text for r in responses]
    profile = (await http.get("/api/v1/notifications/profile", headers=headers)).json()
    assert profile["email"] == "first@example.org"


async def test_many_concurrent_first_requests_of_a_new_user_all_succeed_on_postgresql(
    client: httpx.AsyncClient,
) -> None:
    await _first_requests_all_succeed(client)


async def test_many_concurrent_first_requests_of_a_new_user_all_succeed_on_sqlite(
    sqlite_client: httpx.AsyncClient,
) -> None:
    await _first_requests_all_succeed(sqlite_client)
