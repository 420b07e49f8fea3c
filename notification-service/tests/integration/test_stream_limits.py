"""The live stream's edges (issue 18): Last-Event-ID that is not a real id, the open-stream caps, and
replicas waking each other's streams without polling."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from onematter_kit.identity import Role
from onematter_notification.config import NotificationSettings
from onematter_testkit import internal_headers, make_principal, random_id

from .streams import http_only, read_ids, served, started, store

pytestmark = pytest.mark.integration
STREAM = "/api/v1/notifications/stream"


def _headers(subject: str) -> dict[str, str]:
    return internal_headers(make_principal(subject, Role.applicant), audience="notification")


@pytest.mark.parametrize(
    "last_event_id",
    [
        "²".encode(),  # 500 before (issue 18)
        b"\xb2",  # the same character as one latin-1 byte
        b"9" * 4000,  # over-long
        b"-5",
        b"abc",
        b"9223372036854775807",  # beyond every real id
        "beyond",  # placeholder: replaced by an id far after the newest message
        "other",  # placeholder: replaced by another user's message id
    ],
)
async def test_a_last_event_id_that_is_not_one_of_the_callers_replays_from_the_oldest_message(
    settings: NotificationSettings, last_event_id: bytes | str
) -> None:
    me = random_id("user")
    async with started(http_only(settings)) as app, served(app) as url:
        mine = [await store(app, f"user:{me}") for _ in range(2)]
        other = await store(app, f"user:{random_id('user')}")
        if last_event_id == "beyond":
            last_event_id = str(other + 1000).encode()
        elif last_event_id == "other":
            last_event_id = str(other).encode()
        headers = {**_headers(me), "Last-Event-ID": last_event_id}
        async with (
            httpx.AsyncClient(base_url=url, timeout=30) as http,
            http.stream("GET", STREAM, headers=headers) as response,
        ):
            assert response.status_code == 200
            ids = await asyncio.wait_for(read_ids(response.aiter_lines(), 2), timeout=30)
    assert ids == mine


async def test_a_known_last_event_id_resumes_after_it(settings: NotificationSettings) -> None:
    me = random_id("user")
    async with started(http_only(settings)) as app, served(app) as url:
        first, second, third = [await store(app, f"user:{me}") for _ in range(3)]
        headers = {**_headers(me), "Last-Event-ID": str(first)}
        async with (
            httpx.AsyncClient(base_url=url, timeout=30) as http,
            http.stream("GET", STREAM, headers=headers) as response,
        ):
            ids = await asyncio.wait_for(read_ids(response.aiter_lines(), 2), timeout=30)
    assert ids == [second, third]


async def _status(http: httpx.AsyncClient, subject: str) -> httpx.Response:
    """A stream opened and closed at once (its status and headers only)."""
    async with http.stream("GET", STREAM, headers=_headers(subject)) as response:
        await response.aread() if response.status_code != 200 else None
        return response


async def test_streams_over_the_per_user_and_total_caps_are_429_with_retry_after(
    settings: NotificationSettings,
) -> None:
    capped = http_only(settings, sse_max_streams_per_user=2, sse_max_streams=3, sse_retry_after_seconds=7)
    alice, bob, carol = (random_id("user") for _ in range(3))
    async with (
        started(capped) as app,
        served(app) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as http,
        http.stream("GET", STREAM, headers=_headers(alice)) as first,
        http.stream("GET", STREAM, headers=_headers(alice)) as second,
    ):
        assert (first.status_code, second.status_code) == (200, 200)
        third = await _status(http, alice)
        assert third.status_code == 429
        assert third.headers["retry-after"] == "7"
        assert third.headers["content-type"].startswith("application/problem+json")
        assert third.json()["status"] == 429

        async with http.stream("GET", STREAM, headers=_headers(bob)) as bobs:
            assert bobs.status_code == 200  # another user still gets one: total 3
            assert (await _status(http, carol)).status_code == 429  # but the total is reached
        # Bob's stream is closed: its slot comes back once the server has seen the disconnect.
        assert await _eventually_open(http, carol)


async def _eventually_open(http: httpx.AsyncClient, subject: str) -> bool:
    async with asyncio.timeout(30):
        while True:
            async with http.stream("GET", STREAM, headers=_headers(subject)) as response:
                if response.status_code == 200:
                    return True
            await asyncio.sleep(0.1)  # the server notices a closed connection on its own schedule


async def test_a_message_stored_by_another_replica_wakes_the_stream_without_polling(
    settings: NotificationSettings,
) -> None:
    me = random_id("user")
    quiet = http_only(settings, sse_heartbeat_seconds=60)
    async with (
        started(quiet) as writer,
        started(quiet) as reader,
        served(reader) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as http,
        http.stream("GET", STREAM, headers=_headers(me)) as response,
    ):
        await asyncio.wait_for(reader.state.runtime.extras["inbox_listener"].listening.wait(), timeout=30)
        lines = response.aiter_lines()
        assert await anext(lines) == "retry: 2000"  # the stream is open
        seq = await store(writer, f"user:{me}")  # the other replica: only NOTIFY can tell the reader
        ids = await asyncio.wait_for(read_ids(lines, 1), timeout=10)
    assert ids == [seq]
