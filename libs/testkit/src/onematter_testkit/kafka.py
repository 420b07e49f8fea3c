"""Reading what really reached Kafka, and waiting for eventual effects.

Tests reach the broker as its admin (the test broker's super-user, from ``ONEMATTER_TEST_KAFKA_*``; see
:func:`kafka_options`); a service under test connects as whatever its own settings say.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from onematter_events import CloudEvent, topic_for
from onematter_kit.kafka import ensure_topics, kafka_client_options
from onematter_kit.settings import KafkaSettings

__all__ = [
    "TEST_KAFKA_SETTINGS",
    "kafka_options",
    "kafka_settings",
    "publish_event",
    "publish_events",
    "read_events",
    "wait_for",
]

T = TypeVar("T")
#: ``ONEMATTER_TEST_KAFKA_<X>`` → the service setting ``KAFKA_<X>`` it stands for (written by `infra up`).
TEST_KAFKA_SETTINGS = {
    "ONEMATTER_TEST_KAFKA_SECURITY_PROTOCOL": "KAFKA_SECURITY_PROTOCOL",
    "ONEMATTER_TEST_KAFKA_SASL_MECHANISM": "KAFKA_SASL_MECHANISM",
    "ONEMATTER_TEST_KAFKA_USERNAME": "KAFKA_USERNAME",
    "ONEMATTER_TEST_KAFKA_PASSWORD": "KAFKA_PASSWORD",
}


def _test_login() -> dict[str, str]:
    return {setting: os.environ[name] for name, setting in TEST_KAFKA_SETTINGS.items() if name in os.environ}


def kafka_settings(bootstrap: str, *, login: Mapping[str, str] | None = None) -> KafkaSettings:
    """The kit's Kafka settings for ``bootstrap``, logged in with ``login`` (``KAFKA_*`` variables, e.g. a
    ``KafkaLogin.service_env()`` of a broker of the test's own), by default the test broker's admin
    (``ONEMATTER_TEST_KAFKA_*``; none set: a plain connection)."""
    values = _test_login() if login is None else login
    fields = {"kafka_bootstrap_servers": bootstrap} | {k.lower(): v for k, v in values.items()}
    return KafkaSettings.model_validate(fields)


def kafka_options(bootstrap: str, *, login: Mapping[str, str] | None = None) -> dict[str, Any]:
    """aiokafka keyword arguments for the same connection as :func:`kafka_settings`; spread them into any
    raw client: ``AIOKafkaProducer(**kafka_options(kafka_bootstrap), acks="all")``."""
    return kafka_client_options(kafka_settings(bootstrap, login=login))


async def read_events(
    bootstrap: str,
    topic: str,
    *,
    count: int,
    timeout: float = 30.0,  # noqa: ASYNC109
    where: Callable[[CloudEvent], bool] = lambda _e: True,
    login: Mapping[str, str] | None = None,
) -> list[CloudEvent]:
    """Read ``topic`` from the beginning until ``count`` matching events arrived (or fail on timeout);
    ``login`` as in :func:`kafka_settings`."""
    consumer = AIOKafkaConsumer(
        topic,
        **kafka_options(bootstrap, login=login),
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
        await ensure_topics(kafka_settings(bootstrap), [topic])
    producer = AIOKafkaProducer(**kafka_options(bootstrap), acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, event.to_bytes(), key=str(event.data[key_field]).encode())
    finally:
        await producer.stop()


async def publish_events(bootstrap: str, prefix: str, *events: CloudEvent) -> None:
    """Send events in order, each to the topic and with the key its type has in the event catalogue
    (``topic_for``), creating the topics first."""
    producer = AIOKafkaProducer(**kafka_options(bootstrap), acks="all")
    await producer.start()
    try:
        for event in events:
            topic, key = topic_for(event, prefix)
            await ensure_topics(kafka_settings(bootstrap), [topic])
            await producer.send_and_wait(topic, event.to_bytes(), key=key.encode())
    finally:
        await producer.stop()
