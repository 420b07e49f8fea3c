"""Helpers of the live-stream tests: the app on a real socket, messages stored the way the consumer
stores them, and SSE read off the wire."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from onematter_notification.config import NotificationSettings
from onematter_notification.domain.planner import Draft
from onematter_notification.entrypoints.app import create_app
from onematter_notification.service_layer.messages import store_drafts
from onematter_testkit import random_id

from .conftest import free_port

OVERDUE = {"acceptance_number": "YJS-1", "item_code": "x", "deadline": "2026-03-20"}


def http_only(settings: NotificationSettings, **changes: Any) -> NotificationSettings:
    """The test's settings without Kafka and workers: streams and storage are all that matter here."""
    return settings.model_copy(update={"kafka_enabled": False, "run_workers": False, **changes})


@asynccontextmanager
async def started(settings: NotificationSettings) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30):
        yield app


@asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[str]:
    """``app`` behind a real uvicorn socket: ASGITransport would buffer an endless SSE body."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 — uvicorn offers a flag, not an event
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def store(app: FastAPI, recipient: str) -> int:
    """One message for ``recipient``, stored and committed as the event consumer does; its ``seq``."""
    uow = app.state.runtime.uow()
    async with uow:
        [message] = await store_drafts(
            uow, [Draft(recipient, "task.overdue", OVERDUE)], cause_id=random_id("cause"), channels=()
        )
        await uow.commit()
    return int(message.seq)


async def read_ids(lines: AsyncIterator[str], count: int) -> list[int]:
    """The ids of the next ``count`` events of an open stream's lines (heartbeats skipped)."""
    ids: list[int] = []
    async for line in lines:
        if line.startswith("id: "):
            ids.append(int(line[4:]))
        elif line.startswith("data: "):
            assert json.loads(line[6:])["seq"] == ids[-1]
            if len(ids) == count:
                return ids
    return ids
