"""A redelivered event is applied once; a poison message goes to the dead-letter topic."""

import asyncio
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from onematter_events import Stream, dead_letter_topic, new_event, topic_name
from onematter_events.materials import MATERIAL_UPLOADED, MaterialUploaded
from onematter_kit.consumer import IdempotentConsumer
from onematter_kit.kafka import ensure_topics
from onematter_kit.unit_of_work import SqlUnitOfWork
from onematter_testkit import kafka_options, kafka_settings, wait_for
from sqlalchemy import func, select

from .conftest import KitTestEffect

pytestmark = pytest.mark.integration


def _event():
    return new_event(
        MATERIAL_UPLOADED,
        MaterialUploaded(
            material_id="m1",
            owner_id="zhangsan",
            material_type="photo",
            sha256="0" * 64,
            size=1,
            media_type="image/png",
            uploaded_at=datetime.now(UTC),
        ),
    )


async def _apply(event, uow):
    uow.session.add(KitTestEffect(event_id=event.id))


async def _dead_letters(bootstrap: str, topic: str, count: int) -> list[bytes]:
    consumer = AIOKafkaConsumer(topic, **kafka_options(bootstrap), auto_offset_reset="earliest")
    await consumer.start()
    try:
        found: list[bytes] = []
        async with asyncio.timeout(30):
            while len(found) < count:
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    found += [r.value for r in records]
        return found
    finally:
        await consumer.stop()


async def _count(session_factory) -> int:
    async with session_factory() as session:
        return (await session.execute(select(func.count()).select_from(KitTestEffect))).scalar_one()


async def test_a_redelivered_event_is_applied_once_and_poison_is_set_aside(
    session_factory, kafka_bootstrap, topic_prefix
):
    topic = topic_name(Stream.materials, topic_prefix)
    kafka = kafka_settings(kafka_bootstrap)
    await ensure_topics(kafka, [topic], partitions=1)
    producer = AIOKafkaProducer(**kafka_options(kafka_bootstrap))
    await producer.start()
    dead: list[tuple[str, bytes | None, str]] = []

    async def dead_letter(source_topic, key, value, reason):
        await ensure_topics(kafka, [dead_letter_topic(source_topic)], partitions=1)
        await producer.send_and_wait(dead_letter_topic(source_topic), value=value, key=key)
        dead.append((source_topic, value, reason))

    consumer = IdempotentConsumer(
        name=f"{topic_prefix}kit-test",
        bootstrap_servers=kafka,
        uow_factory=lambda: SqlUnitOfWork(session_factory),
        handlers={MATERIAL_UPLOADED: _apply},
        topics=[topic],
        dead_letter=dead_letter,
    )
    task = asyncio.create_task(consumer.run())
    try:
        event = _event()
        await producer.send_and_wait(topic, event.to_bytes(), key=b"zhangsan")
        await producer.send_and_wait(topic, b"{not a cloud event", key=b"zhangsan")
        await producer.send_and_wait(topic, event.to_bytes(), key=b"zhangsan")  # redelivery: same id
        follow_up = _event()
        await producer.send_and_wait(topic, follow_up.to_bytes(), key=b"zhangsan")

        async def both_applied():
            return await _count(session_factory) == 2 and consumer.skipped_duplicates == 1

        await wait_for(both_applied, timeout=45, message="two distinct events applied, one duplicate skipped")
        assert await _count(session_factory) == 2
        assert [value for _, value, _ in dead] == [b"{not a cloud event"]
        assert await _dead_letters(kafka_bootstrap, dead_letter_topic(topic), 1) == [b"{not a cloud event"]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await producer.stop()


async def test_an_event_whose_source_is_not_the_topics_owner_is_dead_lettered_not_applied(
    session_factory, kafka_bootstrap, topic_prefix
):
    # onematter.materials belongs to the material service (/onematter/material): the same payload
    # signed as the acceptance service is what a stolen or misused credential would send.
    topic = topic_name(Stream.materials, topic_prefix)
    kafka = kafka_settings(kafka_bootstrap)
    await ensure_topics(kafka, [topic], partitions=1)
    forged = _event().model_copy(update={"source": "/onematter/acceptance"})
    genuine = _event()
    dead: list[tuple[bytes | None, str]] = []

    async def dead_letter(source_topic, key, value, reason):
        dead.append((value, reason))

    consumer = IdempotentConsumer(
        name=f"{topic_prefix}kit-test",
        bootstrap_servers=kafka,
        uow_factory=lambda: SqlUnitOfWork(session_factory),
        handlers={MATERIAL_UPLOADED: _apply},
        topics=[topic],
        dead_letter=dead_letter,
    )
    producer = AIOKafkaProducer(**kafka_options(kafka_bootstrap))
    await producer.start()
    task = asyncio.create_task(consumer.run())
    try:
        await producer.send_and_wait(topic, forged.to_bytes(), key=b"zhangsan")
        await producer.send_and_wait(topic, genuine.to_bytes(), key=b"zhangsan")

        async def genuine_applied():
            return consumer.applied_total == 1

        await wait_for(genuine_applied, timeout=45, message="the genuine event applied")
        assert await _count(session_factory) == 1
        assert [value for value, _ in dead] == [forged.to_bytes()]
        assert "source is not /onematter/material" in dead[0][1]
        assert consumer.dead_lettered == 1
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await producer.stop()
