"""Stopping Kafka while a service commits changes loses nothing: the rows wait, then flow."""

import asyncio
from datetime import UTC, datetime

import pytest
from onematter_devtools.kafka import KafkaBroker
from onematter_devtools.launcher import free_port
from onematter_events import Stream, new_event, topic_name
from onematter_events.materials import MATERIAL_UPLOADED, MaterialUploaded
from onematter_kit.kafka import create_producer, ensure_topics
from onematter_kit.outbox import OutboxRelay
from onematter_kit.unit_of_work import SqlUnitOfWork
from onematter_testkit import kafka_settings, read_events, wait_for

pytestmark = pytest.mark.integration


def _upload(n: int):
    return new_event(
        MATERIAL_UPLOADED,
        MaterialUploaded(
            material_id=f"m{n}",
            owner_id=f"owner-{n % 3}",
            material_type="photo",
            sha256="0" * 64,
            size=n,
            media_type="image/png",
            uploaded_at=datetime.now(UTC),
        ),
    )


async def test_rows_committed_while_kafka_is_down_are_published_after_it_returns(
    session_factory, tmp_path, topic_prefix
):
    broker = KafkaBroker(data_dir=tmp_path / "kafka", port=free_port(), controller_port=free_port())
    await asyncio.to_thread(broker.start)
    kafka = kafka_settings(broker.bootstrap, login=broker.admin.service_env())
    relay = OutboxRelay(
        session_factory=session_factory,
        poll_interval=0.3,
        max_backoff=1.0,
        producer_factory=lambda: create_producer(kafka, client_id="outbox-test"),
    )
    relay_task = None
    try:
        topic = topic_name(Stream.materials, topic_prefix)
        await ensure_topics(kafka, [topic])
        relay_task = asyncio.create_task(relay.run())
        events = [_upload(n) for n in range(30)]

        async def commit(batch):
            async with SqlUnitOfWork(session_factory, topic_prefix=topic_prefix, on_commit=relay.wake) as uow:
                for event in batch:
                    uow.emit(event)
                await uow.commit()

        await commit(events[:10])
        await wait_for(lambda: _drained(relay), message="first rows published")

        await asyncio.to_thread(broker.stop)
        await commit(events[10:])  # the service keeps committing while Kafka is down
        await asyncio.sleep(2)
        assert await relay.backlog() == 20

        await asyncio.to_thread(broker.start)
        await wait_for(lambda: _drained(relay), timeout=90, message="backlog published after Kafka returned")
        seen = await read_events(
            broker.bootstrap, topic, count=30, timeout=30, login=broker.admin.service_env()
        )
        assert {e.id for e in events} <= {e.id for e in seen}
    finally:
        if relay_task:
            relay_task.cancel()
            await asyncio.gather(relay_task, return_exceptions=True)
        await asyncio.to_thread(broker.stop)


async def _drained(relay: OutboxRelay) -> bool:
    return await relay.backlog() == 0
