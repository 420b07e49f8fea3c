"""Order and gaps on the real PostgreSQL and Kafka (issue 19): a transaction that commits late is neither
skipped nor overtaken by the ones that started writing after it, one key's events reach Kafka in the order
its writer wrote them, and of two relays on one database only one publishes.

Each writer numbers its own events (``size`` = 1, 2, 3 … per key, ``owner_id`` = the key): that numbering,
not the relay, is where the expected order comes from.
"""

import asyncio
import random
from collections import defaultdict
from datetime import UTC, datetime

import pytest
from onematter_events import CloudEvent, Stream, new_event, topic_name
from onematter_events.materials import MATERIAL_UPLOADED, MaterialUploaded
from onematter_kit.database import create_engine, create_session_factory
from onematter_kit.kafka import create_producer, ensure_topics
from onematter_kit.outbox import OutboxRelay
from onematter_kit.tables import OutboxMessage
from onematter_kit.unit_of_work import SqlUnitOfWork
from onematter_testkit import kafka_settings, random_id, read_events, wait_for
from sqlalchemy import func, select, text
from sqlmodel import col

pytestmark = pytest.mark.integration


def _upload(key: str, n: int) -> CloudEvent:
    payload = MaterialUploaded(
        material_id=random_id("m"),
        owner_id=key,
        material_type="photo",
        sha256="0" * 64,
        size=n,
        media_type="image/png",
        uploaded_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    return new_event(MATERIAL_UPLOADED, payload)


class Writers:
    """Transactions on one database, committed at once or held open until told."""

    def __init__(self, session_factory, topic_prefix: str, relay: OutboxRelay | None = None) -> None:
        self.session_factory, self.topic_prefix, self.relay = session_factory, topic_prefix, relay

    def _uow(self) -> SqlUnitOfWork:
        wake = self.relay.wake if self.relay else None
        return SqlUnitOfWork(self.session_factory, topic_prefix=self.topic_prefix, on_commit=wake)

    async def commit(self, *events: CloudEvent, hold: float = 0.0) -> None:
        async with self._uow() as uow:
            for event in events:
                uow.emit(event)
            await uow.session.flush()  # the rows exist (ids taken) before the forced delay
            await asyncio.sleep(hold)  # the forced commit delay (not a wait for anything)
            await uow.commit()

    async def held(self, *events: CloudEvent, inserted: asyncio.Event, release: asyncio.Event) -> None:
        """Insert ``events``, signal ``inserted``, and commit only once ``release`` is set."""
        async with self._uow() as uow:
            for event in events:
                uow.emit(event)
            await uow.session.flush()
            inserted.set()
            await release.wait()
            await uow.commit()


def _relay(session_factory, kafka, name: str) -> OutboxRelay:
    return OutboxRelay(
        session_factory=session_factory,
        poll_interval=0.2,
        producer_factory=lambda: create_producer(kafka, client_id=name),
    )


async def _run(relay: OutboxRelay) -> asyncio.Task[None]:
    return asyncio.create_task(relay.run())


async def _stop(*tasks: asyncio.Task[None]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _sizes_by_key(events: list[CloudEvent]) -> dict[str, list[int]]:
    by_key: dict[str, list[int]] = defaultdict(list)
    for event in events:
        by_key[event.data["owner_id"]].append(event.data["size"])
    return dict(by_key)


async def _unpublished(session_factory, event: CloudEvent) -> bool:
    async with session_factory() as session:
        query = select(col(OutboxMessage.published_at)).where(col(OutboxMessage.event_id) == event.id)
        return (await session.execute(query)).scalar_one() is None


async def test_a_transaction_that_commits_late_is_published_before_the_later_writes_of_its_key(
    session_factory, kafka_bootstrap, topic_prefix
) -> None:
    kafka = kafka_settings(kafka_bootstrap)
    topic = topic_name(Stream.materials, topic_prefix)
    await ensure_topics(kafka, [topic])
    relay = _relay(session_factory, kafka, "order-late")
    writers = Writers(session_factory, topic_prefix, relay)
    task = await _run(relay)
    try:
        inserted, release = asyncio.Event(), asyncio.Event()
        first, second = _upload("late", 1), _upload("late", 2)
        late = asyncio.create_task(writers.held(first, inserted=inserted, release=release))
        await inserted.wait()
        await writers.commit(second)  # the key's second event commits while its first is still open
        others = [_upload(f"k{n}", 1) for n in range(5)]
        await asyncio.gather(*(writers.commit(event) for event in others))

        await wait_for(lambda: _true(relay.held_back), message="the relay read the committed rows")
        assert await _unpublished(session_factory, second), "published ahead of the key's first event"
        assert relay.published_total == 0  # everything committed waits behind the open transaction

        release.set()
        await late
        await wait_for(lambda: _drained(relay), message="everything published once the first committed")
        seen = await read_events(kafka_bootstrap, topic, count=7)
        assert _sizes_by_key(seen)["late"] == [1, 2]
        assert sorted(e.id for e in seen) == sorted(e.id for e in [first, second, *others])
    finally:
        await _stop(task)


async def test_concurrent_writers_with_commit_delays_lose_nothing_and_keep_each_keys_order(
    session_factory, kafka_bootstrap, topic_prefix
) -> None:
    kafka = kafka_settings(kafka_bootstrap)
    topic = topic_name(Stream.materials, topic_prefix)
    await ensure_topics(kafka, [topic])
    relay = _relay(session_factory, kafka, "order-many")
    writers = Writers(session_factory, topic_prefix, relay)
    rng = random.Random(19)
    written: list[CloudEvent] = []

    async def one_key(key: str, transactions: int) -> None:
        for n in range(1, transactions + 1):  # one key's transactions follow each other, as its writer's
            events = [_upload(key, 2 * n - 1), _upload(key, 2 * n)]
            written.extend(events)
            await writers.commit(*events, hold=rng.choice([0.0, 0.0, 0.01, 0.05, 0.2]))

    task = await _run(relay)
    try:
        await asyncio.gather(*(one_key(f"key{k}", 12) for k in range(8)))
        await wait_for(lambda: _drained(relay), timeout=60, message="every committed row published")
        seen = await read_events(kafka_bootstrap, topic, count=len(written), timeout=60)
        assert sorted(e.id for e in seen) == sorted(e.id for e in written)  # none missing, none twice
        assert _sizes_by_key(seen) == {f"key{k}": list(range(1, 25)) for k in range(8)}
    finally:
        await _stop(task)


async def test_of_two_relays_on_one_database_one_publishes_and_the_other_takes_over_when_it_stops(
    session_factory, fresh_database_url, kafka_bootstrap, topic_prefix
) -> None:
    kafka = kafka_settings(kafka_bootstrap)
    topic = topic_name(Stream.materials, topic_prefix)
    await ensure_topics(kafka, [topic])
    other_engine = create_engine(fresh_database_url)  # the second replica: its own engine and pool
    first = _relay(session_factory, kafka, "replica-1")
    second = _relay(create_session_factory(other_engine), kafka, "replica-2")
    writers = Writers(session_factory, topic_prefix)
    first_task = await _run(first)
    second_task = None
    try:
        await wait_for(lambda: _true(first.is_leader), message="the first relay leads")
        second_task = await _run(second)
        before = [_upload("before", n) for n in range(1, 11)]
        for event in before:
            await writers.commit(event)
        await wait_for(lambda: _drained(first), message="published by the leader")
        assert (first.published_total, second.published_total) == (10, 0)
        assert not second.is_leader

        await _stop(first_task)  # a replica stops: its lock goes with it
        await wait_for(lambda: _true(second.is_leader), message="the second relay took over")
        after = [_upload("after", n) for n in range(1, 11)]
        for event in after:
            await writers.commit(event)
        await wait_for(lambda: _drained(second), message="published by the new leader")
        assert (first.published_total, second.published_total) == (10, 10)
        seen = await read_events(kafka_bootstrap, topic, count=20)
        assert _sizes_by_key(seen) == {"before": list(range(1, 11)), "after": list(range(1, 11))}
    finally:
        await _stop(first_task, *([second_task] if second_task else []))
        await other_engine.dispose()


async def _true(value: bool) -> bool:
    return value


async def _drained(relay: OutboxRelay) -> bool:
    return await relay.backlog() == 0


async def test_when_the_publishing_relays_connection_dies_the_other_relay_takes_over(
    session_factory, fresh_database_url, kafka_bootstrap, topic_prefix
) -> None:
    kafka = kafka_settings(kafka_bootstrap)
    topic = topic_name(Stream.materials, topic_prefix)
    await ensure_topics(kafka, [topic])
    other_engine = create_engine(fresh_database_url)
    first = _relay(session_factory, kafka, "replica-1")
    second = _relay(create_session_factory(other_engine), kafka, "replica-2")
    writers = Writers(session_factory, topic_prefix)
    tasks = [await _run(first)]
    try:
        await wait_for(lambda: _true(first.is_leader), message="the first relay leads")
        tasks.append(await _run(second))
        async with session_factory() as session:  # what kill -9 of the replica does to its session
            # Only this test's database: other databases on the shared server are other tests'.
            holder = select(func.pg_terminate_backend(text("pid"))).select_from(text("pg_locks"))
            holder = holder.where(
                text("locktype = 'advisory'"),
                text("database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
            )
            assert (await session.execute(holder)).scalars().all() == [True]
        events = [_upload("after-death", n) for n in range(1, 11)]
        for event in events:
            await writers.commit(event)
        await wait_for(lambda: _true(second.is_leader), message="the second relay took over")
        await wait_for(lambda: _drained(second), message="published by the new leader")
        assert (first.published_total, second.published_total) == (0, 10)
        assert not first.is_leader
        seen = await read_events(kafka_bootstrap, topic, count=10)
        assert _sizes_by_key(seen) == {"after-death": list(range(1, 11))}
    finally:
        await _stop(*tasks)
        await other_engine.dispose()
