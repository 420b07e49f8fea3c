"""Live updates over a real HTTP connection (uvicorn in-process), and callback URLs refused for SSRF."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
from asgi_lifespan import LifespanManager
from onematter_kit.identity import Role
from onematter_notification.config import NotificationSettings
from onematter_notification.entrypoints.app import create_app
from onematter_testkit import internal_headers, make_principal, random_code, random_id

pytestmark = pytest.mark.integration


@pytest.fixture
async def served(app, unused_tcp_port: int) -> AsyncIterator[str]:  # type: ignore[no-untyped-def]
    """The app behind a real uvicorn socket: ASGITransport would buffer an endless SSE body."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=unused_tcp_port, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 — uvicorn offers a flag, not an event
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{unused_tcp_port}"
    server.should_exit = True
    await task


async def _read_events(response: httpx.Response, count: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    async for line in response.aiter_lines():
        if line.startswith("id: "):
            current["id"] = line[4:]
        elif line.startswith("data: "):
            current["data"] = json.loads(line[6:])
        elif line == "" and "data" in current:
            events.append(current)
            current = {}
            if len(events) == count:
                return events
    return events


async def test_the_stream_pushes_a_new_message_and_resumes_after_last_event_id(served, bus, builders) -> None:
    applicant = random_id("user")
    headers = internal_headers(make_principal(applicant, Role.applicant), audience="notification")
    first = builders["accepted"](applicant_id=applicant, departments=[random_code("d")])
    second = builders["accepted"](applicant_id=applicant, departments=[random_code("d")])
    async with httpx.AsyncClient(base_url=served, timeout=30) as http:
        async with http.stream("GET", "/api/v1/notifications/stream", headers=headers) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            await bus.publish(first)
            [event] = await asyncio.wait_for(_read_events(response, 1), timeout=30)
        assert first.data["acceptance_number"] in event["data"]["body"]
        assert int(event["id"]) == event["data"]["seq"]

        await bus.publish(second)  # while disconnected
        resumed = {**headers, "Last-Event-ID": event["id"]}
        async with http.stream("GET", "/api/v1/notifications/stream", headers=resumed) as response:
            [missed] = await asyncio.wait_for(_read_events(response, 1), timeout=30)
        assert second.data["acceptance_number"] in missed["data"]["body"]


async def test_the_stream_pushes_a_rejected_task_to_the_applicant_with_its_reason(
    served, bus, builders
) -> None:
    applicant = random_id("user")
    headers = internal_headers(make_principal(applicant, Role.applicant), audience="notification")
    accepted = builders["accepted"](applicant_id=applicant, departments=[random_code("d")])
    async with (
        httpx.AsyncClient(base_url=served, timeout=30) as http,
        http.stream("GET", "/api/v1/notifications/stream", headers=headers) as response,
    ):
        await bus.publish(builders["rejected"](accepted, 0, "材料过期"))
        [event] = await asyncio.wait_for(_read_events(response, 1), timeout=30)
    assert event["data"]["kind"] == "task.rejected"
    assert "材料过期" in event["data"]["body"]


async def test_the_stream_sends_heartbeats_while_idle(served) -> None:
    headers = internal_headers(make_principal(random_id("user"), Role.applicant), audience="notification")
    async with (
        httpx.AsyncClient(base_url=served, timeout=30) as http,
        http.stream("GET", "/api/v1/notifications/stream", headers=headers) as response,
    ):
        lines = []
        async for line in response.aiter_lines():
            lines.append(line)
            if line == ": heartbeat":
                break
    assert ": heartbeat" in lines


@pytest.fixture
async def strict_client(fresh_database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = NotificationSettings(
        database_url=fresh_database_url,
        environment="test",
        kafka_enabled=False,
        run_workers=False,
        log_json=False,
        webhook_allow_private_networks=False,
    )
    app = create_app(settings)
    async with (
        LifespanManager(app, startup_timeout=60),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://notification") as http,
    ):
        yield http


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://localhost/hook",
        "ftp://example.com/hook",
    ],
)
async def test_callback_urls_into_private_networks_are_refused(strict_client, url: str) -> None:
    department = random_code("d")
    headers = internal_headers(
        make_principal("officer", Role.officer, department=department), audience="notification"
    )
    response = await strict_client.post(
        "/api/v1/subscriptions",
        headers=headers,
        json={"callback_url": url, "event_types": ["gov.onematter.task.assigned"]},
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "callback_url"


async def test_an_officer_cannot_subscribe_to_another_departments_events(strict_client) -> None:
    headers = internal_headers(
        make_principal("officer", Role.officer, department=random_code("d")), audience="notification"
    )
    response = await strict_client.post(
        "/api/v1/subscriptions",
        headers=headers,
        json={
            "callback_url": "https://example.com/hook",
            "event_types": ["gov.onematter.task.assigned"],
            "department": random_code("d"),
        },
    )
    assert response.status_code == 403
