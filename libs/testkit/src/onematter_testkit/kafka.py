"""Reading what really reached Kafka, and waiting for eventual effects."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from onematter_events import CloudEvent, topic_for
from onematter_kit.kafka import ensure_topics

__all__ = ["publish_event", "publish_events", "read_events", "wait_for"]

T = TypeVar("T")


async def read_events(
    bootstrap: str,
    topic: str,
    *,
    count: int,
    timeout: float = 30.0,  # noqa: ASYNC109
    where: Callable[[CloudEvent], bool] = lambda _e: True,
) -> list[CloudEvent]:
    """Read ``topic`` from the beginning until ``count`` matching events arrived (or fail on timeout)."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        metadata_max_age_ms=1000,
    )
    await consumer.start()
    found: list[CloudEvent] = []
    deadline = time.monotonic() + timeout
    try:
        while len(found) < count and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                for record in records:
                    event = CloudEvent.from_bytes(record.value)
                    if where(event):
                        found.append(event)
    finally:
        await consumer.stop()
    assert len(found) >= count, f"expected {count} events on {topic}, saw {len(found)} in {timeout}s"
    return found


async def wait_for(
    probe: Callable[[], Awaitable[T | None]],
    *,
    timeout: float = 30.0,  # noqa: ASYNC109
    interval: float = 0.2,
    message: str = "condition",
) -> T:
    """Poll ``probe`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = await probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        await asyncio.sleep(interval)


async def publish_event(
    bootstrap: str,
    topic: str,
    event: CloudEvent,
    *,
    key_field: str = "application_id",
    create_topic: bool = False,
) -> None:
    """Send one event as its producer would: keyed by ``event.data[key_field]``, acknowledged by all
    replicas. ``create_topic``: create it first (the brokers have auto-creation off)."""
    if create_topic:
        await ensure_topics(bootstrap, [topic])
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, event.to_bytes(), key=str(event.data[key_field]).encode())
    finally:
        await producer.stop()


async def publish_events(bootstrap: str, prefix: str, *events: CloudEvent) -> None:
    """Send events in order, each to the topic and with the key its type has in the event catalogue
    (``topic_for``), creating the topics first."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for event in events:
            topic, key = topic_for(event, prefix)
            await ensure_topics(bootstrap, [topic])
            await producer.send_and_wait(topic, event.to_bytes(), key=key.encode())
    finally:
        await producer.stop()
