"""Notifications through the gateway: one message per step for the applicant, one digest for several
approvals, and the completion pushed live over Server-Sent Events (the gateway streams, it does not buffer).

Events are published to the system's Kafka exactly as acceptance publishes them (``new_event`` payloads on
``topic_for`` topics), so this test depends only on the event catalogue, not on another service's API.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from onematter_events import CloudEvent, new_event, topic_for
from onematter_events import applications as ev
from onematter_kit.kafka import ensure_topics
from onematter_testkit import random_id, wait_for

pytestmark = pytest.mark.e2e


async def _publish(system: Any, *events: CloudEvent) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=system.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        for event in events:
            topic, key = topic_for(event, system.topic_prefix)
            await ensure_topics(system.kafka_bootstrap, [topic])
            await producer.send_and_wait(topic, event.to_bytes(), key=key.encode())
    finally:
        await producer.stop()


def _accepted(applicant: str, departments: list[str]) -> CloudEvent:
    tasks = [
        ev.TaskRef(task_id=random_id("task"), item_code=f"item-{d}", department=d, deadline=date(2030, 1, 10))
        for d in departments
    ]
    return new_event(
        ev.APPLICATION_ACCEPTED,
        ev.ApplicationAccepted(
            application_id=random_id("app"),
            acceptance_number=f"YW{secrets.token_hex(6).upper()}",
            matter_code="newborn",
            matter_version=1,
            applicant_id=applicant,
            submitted_by=applicant,
            channel="online",
            accepted_at=datetime.now(UTC),
            deadline=date(2030, 1, 15),
            tasks=tasks,
        ),
    )


def _approved(accepted: CloudEvent, task: dict[str, Any]) -> CloudEvent:
    data = accepted.data
    return new_event(
        ev.TASK_COMPLETED,
        ev.TaskCompleted(
            task_id=task["task_id"],
            application_id=data["application_id"],
            acceptance_number=data["acceptance_number"],
            item_code=task["item_code"],
            department=task["department"],
            applicant_id=data["applicant_id"],
            outcome="approved",
            completed_at=datetime.now(UTC),
            officer_id=f"officer-{task['department']}",
        ),
    )


def _completed(accepted: CloudEvent) -> CloudEvent:
    data = accepted.data
    return new_event(
        ev.APPLICATION_COMPLETED,
        ev.ApplicationCompleted(
            application_id=data["application_id"],
            acceptance_number=data["acceptance_number"],
            applicant_id=data["applicant_id"],
            matter_code=data["matter_code"],
            outcome="approved",
            completed_at=datetime.now(UTC),
        ),
    )


async def _messages_of(client: httpx.AsyncClient, headers: dict[str, str], application_id: str) -> list[dict]:
    response = await client.get("/api/v1/notifications", params={"limit": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return [m for m in response.json()["items"] if m["application_id"] == application_id]


async def _sse_messages(response: httpx.Response, sink: list[dict[str, Any]]) -> None:
    async for line in response.aiter_lines():
        if line.startswith("data: "):
            sink.append(json.loads(line[6:]))


async def test_the_applicant_gets_one_acceptance_message_one_digest_and_the_completion_live(system) -> None:
    headers = await system.auth("zhangsan")
    accepted = _accepted("zhangsan", [f"e2e{secrets.token_hex(3)}" for _ in range(5)])
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
            await _publish(system, accepted, *(_approved(accepted, t) for t in accepted.data["tasks"]))

            async def digest_arrived() -> list[dict] | None:
                found = await _messages_of(client, headers, application_id)
                return found if any(m["kind"] == "approvals.digest" for m in found) else None

            await wait_for(digest_arrived, timeout=60, message="the digest")
            await _publish(system, _completed(accepted))

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
    await asyncio.sleep(4)  # longer than the system's digest window: a second digest would be here by now
    messages = await _messages_of(client := system.client(), headers, application_id)
    await client.aclose()
    kinds = sorted(m["kind"] for m in messages)
    assert kinds == ["application.accepted", "application.completed", "approvals.digest"]
    [acceptance] = [m for m in messages if m["kind"] == "application.accepted"]
    assert accepted.data["acceptance_number"] in acceptance["body"]
