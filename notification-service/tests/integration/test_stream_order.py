"""The live stream never skips a message that commits late (issue 19), live or across a reconnect with
``Last-Event-ID``, on the real PostgreSQL: ``seq`` is taken at insert, visibility comes at commit.

Transactions are held open on purpose (an event releases them), so the late commit is forced, not hoped for.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from onematter_kit.identity import Role
from onematter_notification.config import NotificationSettings
from onematter_notification.domain.planner import Draft
from onematter_notification.service_layer.messages import store_drafts
from onematter_notification.service_layer.unit_of_work import NotificationUnitOfWork
from onematter_testkit import internal_headers, make_principal, random_id
from sqlalchemy import func, select

from .streams import OVERDUE, http_only, read_ids, served, started, store

pytestmark = pytest.mark.integration
STREAM = "/api/v1/notifications/stream"


def _headers(subject: str, last_event_id: int | None = None) -> dict[str, str]:
    headers = internal_headers(make_principal(subject, Role.applicant), audience="notification")
    return headers if last_event_id is None else {**headers, "Last-Event-ID": str(last_event_id)}


async def _insert(uow: NotificationUnitOfWork, recipient: str) -> int:
    """One message stored in ``uow``'s open transaction (not committed); its ``seq``."""
    draft = Draft(recipient, "task.overdue", OVERDUE)
    [message] = await store_drafts(uow, [draft], cause_id=random_id("cause"), channels=())
    return int(message.seq or 0)


async def _held(app: FastAPI, recipient: str, *, inserted: asyncio.Event, release: asyncio.Event) -> int:
    """Store a message, signal ``inserted``, and commit only once ``release`` is set; its ``seq``."""
    async with app.state.runtime.uow() as uow:
        seq = await _insert(uow, recipient)
        inserted.set()
        await release.wait()
        await uow.commit()
    return seq


async def _ids_until_heartbeats(lines: AsyncIterator[str], heartbeats: int) -> list[int]:
    """The event ids an open stream sends before its next ``heartbeats`` heartbeats."""
    ids: list[int] = []
    async for line in lines:
        if line.startswith("id: "):
            ids.append(int(line[4:]))
        elif line == ": heartbeat":
            heartbeats -= 1
            if not heartbeats:
                return ids
    return ids


async def test_a_message_that_commits_late_is_streamed_in_its_place_and_not_skipped(
    settings: NotificationSettings,
) -> None:
    me = random_id("user")
    async with (
        started(http_only(settings)) as app,
        served(app) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as http,
        http.stream("GET", STREAM, headers=_headers(me)) as response,
    ):
        lines = response.aiter_lines()
        inserted, release = asyncio.Event(), asyncio.Event()
        late = asyncio.create_task(_held(app, f"user:{me}", inserted=inserted, release=release))
        await inserted.wait()
        later = await store(app, f"user:{me}")  # a higher seq, committed while the lower one is open

        held_back = await asyncio.wait_for(_ids_until_heartbeats(lines, 2), timeout=30)
        release.set()
        earlier = await late
        ids = await asyncio.wait_for(read_ids(lines, 2), timeout=30)
    assert held_back == []  # sending `later` now would move the stream past `earlier` for good
    assert ids == [earlier, later]


async def test_a_reconnect_with_last_event_id_gets_a_message_that_committed_late_behind_it(
    settings: NotificationSettings,
) -> None:
    me = random_id("user")
    inbox = f"user:{me}"
    async with (
        started(http_only(settings)) as app,
        served(app) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as http,
    ):
        seen = await store(app, inbox)  # what the client had before
        async with app.state.runtime.uow() as first, app.state.runtime.uow() as late:
            # `first` takes its transaction id before `late` writes, then stores after it and commits:
            # a higher seq from an older transaction, readable while `late` is still open.
            await first.session.execute(select(func.pg_current_xact_id()))
            behind = await _insert(late, inbox)
            ahead = await _insert(first, inbox)
            await first.commit()
            async with http.stream("GET", STREAM, headers=_headers(me, seen)) as response:
                [received] = await asyncio.wait_for(read_ids(response.aiter_lines(), 1), timeout=30)
            await late.commit()  # while the client is away
        async with http.stream("GET", STREAM, headers=_headers(me, received)) as response:
            [resumed] = await asyncio.wait_for(read_ids(response.aiter_lines(), 1), timeout=30)
    assert behind < ahead
    assert (received, resumed) == (ahead, behind)


async def test_concurrent_writers_with_commit_delays_lose_no_message_live_or_across_a_reconnect(
    settings: NotificationSettings,
) -> None:
    me = random_id("user")
    inbox = f"user:{me}"
    rng = random.Random(19)
    stored: list[int] = []

    async def writer(app: FastAPI, count: int) -> None:
        for _ in range(count):
            async with app.state.runtime.uow() as uow:
                seq = await _insert(uow, inbox)
                await asyncio.sleep(rng.choice([0.0, 0.0, 0.01, 0.05, 0.2]))  # the forced commit delay
                await uow.commit()
            stored.append(seq)

    async with (
        started(http_only(settings)) as app,
        served(app) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as http,
    ):
        async with http.stream("GET", STREAM, headers=_headers(me)) as response:
            writers = asyncio.gather(*(writer(app, 8) for _ in range(6)))
            live = await asyncio.wait_for(read_ids(response.aiter_lines(), 24), timeout=60)
        async with http.stream("GET", STREAM, headers=_headers(me, live[-1])) as response:
            resumed = await asyncio.wait_for(read_ids(response.aiter_lines(), 24), timeout=60)
        await writers
    assert len(live + resumed) == len(set(live + resumed)) == 48  # none twice
    assert sorted(live + resumed) == sorted(stored)  # none missing
