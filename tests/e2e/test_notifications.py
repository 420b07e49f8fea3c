"""Notifications through the gateway: one message per step for the applicant, one digest for several
approvals, and the completion pushed live over Server-Sent Events (the gateway streams, it does not buffer).

Events are published to the system's Kafka exactly as acceptance publishes them (``new_event`` payloads on
``topic_for`` topics), so this test depends only on the event catalogue, not on another service's API.

The five departments' task topics are new: the notification service finds new topics on its next metadata
refresh (seconds apart), so approvals sent to topics it does not read yet could miss the digest window. As
acceptance does, the tasks are assigned first, and the approvals follow only once the notification
service has consumed from all five topics (its consumer group's committed offsets say so) — a condition,
not a wait of some seconds.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Any

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from onematter_events import task_topic
from onematter_testkit import application_events as events
from onematter_testkit import publish_events, wait_for
from onematter_testkit.kafka import kafka_options

pytestmark = pytest.mark.e2e


async def _messages_of(client: httpx.AsyncClient, headers: dict[str, str], application_id: str) -> list[dict]:
    response = await client.get("/api/v1/notifications", params={"limit": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return [m for m in response.json()["items"] if m["application_id"] == application_id]


async def _notification_reads(system: Any, departments: list[str]) -> bool:
    """Whether the notification service's task consumer has consumed from every department's topic."""
    topics = {task_topic(d, system.topic_prefix) for d in departments}
    admin = AIOKafkaAdminClient(**kafka_options(system.kafka_bootstrap))
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(f"{system.topic_prefix}notification.tasks")
    finally:
        await admin.close()
    return topics <= {tp.topic for tp, committed in offsets.items() if committed.offset > 0}


async def _sse_messages(response: httpx.Response, sink: list[dict[str, Any]]) -> None:
    async for line in response.aiter_lines():
        if line.startswith("data: "):
            sink.append(json.loads(line[6:]))


async def test_the_applicant_gets_one_acceptance_message_one_digest_and_the_completion_live(system) -> None:
    headers = await system.auth("zhangsan")
    departments = [f"e2e{secrets.token_hex(3)}" for _ in range(5)]
    accepted = events.accepted(applicant_id="zhangsan", departments=departments)
    application_id = accepted.data["application_id"]
    async with (
        system.client() as client,
        client.stream(
            "GET", "/api/v1/notifications/stream", headers=headers, timeout=httpx.Timeout(30, read=60)
        ) as stream,
    ):
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        live: list[dict[str, Any]] = []
        reader = asyncio.create_task(_sse_messages(stream, live))
        try:
            tasks = range(len(accepted.data["tasks"]))
            assignments = [events.assigned(accepted, i) for i in tasks]
            await publish_events(system.kafka_bootstrap, system.topic_prefix, accepted, *assignments)
            await wait_for(
                lambda: _notification_reads(system, departments), timeout=60, message="the five task topics"
            )
            approvals = [events.approved(accepted, i) for i in tasks]
            await publish_events(system.kafka_bootstrap, system.topic_prefix, *approvals)

            async def digest_arrived() -> list[dict] | None:
                found = await _messages_of(client, headers, application_id)
                digests = [m["body"] for m in found if m["kind"] == "approvals.digest"]
                # every approval told: all were applied before the completion is sent
                told = all(any(t["item_code"] in d for d in digests) for t in accepted.data["tasks"])
                return found if digests and told else None

            await wait_for(digest_arrived, timeout=60, message="the digest")
            await publish_events(
                system.kafka_bootstrap, system.topic_prefix, events.application_completed(accepted)
            )

            async def completion_pushed() -> dict[str, Any] | None:
                return next(
                    (
                        m
                        for m in live
                        if m["application_id"] == application_id and m["kind"] == "application.completed"
                    ),
                    None,
                )

            completion = await wait_for(completion_pushed, timeout=60, message="the live completion")
        finally:
            reader.cancel()
    assert accepted.data["acceptance_number"] in completion["subject"]
    # Final already: every approval was applied before the completion, which sent any open digest in its
    # own transaction and absorbs approvals arriving later — no second digest can follow.
    messages = await _messages_of(client := system.client(), headers, application_id)
    await client.aclose()
    kinds = sorted(m["kind"] for m in messages)
    assert kinds == ["application.accepted", "application.completed", "approvals.digest"]
    [acceptance] = [m for m in messages if m["kind"] == "application.accepted"]
    assert accepted.data["acceptance_number"] in acceptance["body"]
