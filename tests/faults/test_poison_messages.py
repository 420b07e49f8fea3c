"""Malformed messages on a topic the services consume (the catalog topic: acceptance, notification and
the hotline read it). Each goes to ``<topic>.dlq`` with the reason in a header, and the consumers carry
on: a valid event published after them is applied (by acceptance's and by the hotline's consumer).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from onematter_events import CloudEvent, Stream, new_event, topic_name
from onematter_events.matters import MATTER_PUBLISHED, MATTER_RETIRED, MatterRetired

pytestmark = pytest.mark.e2e


def _poison(run: str) -> dict[str, bytes]:
    not_a_cloud_event = json.dumps({"hello": "world", "run": run}).encode()
    bad_payload = CloudEvent(
        source="/fault-test", type=MATTER_PUBLISHED, subject="x", data={"matter_code": 42}
    ).to_bytes()
    return {
        f"{run}-not-json": b"\xff\x00 definitely not json {",
        f"{run}-not-a-cloudevent": not_a_cloud_event,
        f"{run}-bad-payload": bad_payload,
    }


async def test_malformed_messages_go_to_the_dead_letter_topic_and_the_consumers_carry_on(lab, stack) -> None:  # type: ignore[no-untyped-def]
    topic = topic_name(Stream.catalog, stack.system.topic_prefix)
    run = secrets.token_hex(4)
    poison = _poison(run)
    valid = new_event(
        MATTER_RETIRED, MatterRetired(matter_code=f"fault-{run}", version=1, retired_at=datetime.now(UTC))
    )
    producer = AIOKafkaProducer(**stack.kafka.admin_options())
    await producer.start()
    try:
        for key, value in poison.items():
            await producer.send_and_wait(topic, value=value, key=key.encode())
        await producer.send_and_wait(topic, value=valid.to_bytes(), key=valid.subject.encode())
    finally:
        await producer.stop()

    async def applied_by_acceptance() -> bool:
        rows = await lab.query(
            "acceptance", "SELECT consumer FROM processed_events WHERE event_id = $1", valid.id
        )
        return bool(rows)

    async def applied_by_hotline() -> bool:  # the hotline's knowledge-base consumer (issue 24)
        rows = await lab.query(
            "hotline", "SELECT consumer FROM processed_events WHERE event_id = $1", valid.id
        )
        return bool(rows)

    applied = await _poll(applied_by_acceptance, within=60)
    hotline_applied = await _poll(applied_by_hotline, within=60)
    dead = await _dead_letters(stack.kafka.admin_options(), f"{topic}.dlq", set(poison), within=30)
    lab.report(
        "poison messages", published=len(poison) + 1, dead_lettered=len(dead), valid_applied=int(applied)
    )
    assert set(dead) == set(poison), f"dead-lettered keys {sorted(dead)}, expected {sorted(poison)}"
    assert all(reason for reason in dead.values()), dead
    assert dead[f"{run}-not-json"] and dead[f"{run}-bad-payload"], dead
    assert applied, "the valid event after the poison was not applied by acceptance's consumer"
    assert hotline_applied, "the valid event after the poison was not applied by the hotline's consumer"


async def _dead_letters(
    kafka: dict[str, Any], topic: str, keys: set[str], *, within: float
) -> dict[str, str]:
    """``key → the onematter-dlq-reason header`` for each of ``keys`` found on the dead-letter topic."""
    consumer = AIOKafkaConsumer(
        topic,
        **kafka,
        group_id=None,
        auto_offset_reset="earliest",
        metadata_max_age_ms=1000,
    )
    await consumer.start()
    found: dict[str, str] = {}
    deadline = time.monotonic() + within
    try:
        while set(found) != keys and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    key = (record.key or b"").decode(errors="replace")
                    if key in keys:
                        headers = dict(record.headers or ())
                        found[key] = headers.get("onematter-dlq-reason", b"").decode(errors="replace")
    finally:
        await consumer.stop()
    return found


async def _poll(probe: Callable[[], Awaitable[bool]], *, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await probe():
            return True
        await asyncio.sleep(0.5)
    return False
