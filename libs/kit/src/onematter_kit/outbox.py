"""The outbox relay: publishes committed outbox rows to Kafka and marks them sent.

Delivery is at-least-once: a crash between Kafka's acknowledgement and the row's update publishes the row
again on restart, and consumers are idempotent. Rows are claimed with ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so several relay replicas never publish the same row concurrently. While Kafka is down rows
wait in the table; the relay retries with backoff and resumes on its own.

With several replicas on PostgreSQL, one relay at a time publishes (a transaction-scoped advisory lock):
claiming disjoint batches with SKIP LOCKED alone would let two replicas publish one application's events
out of order. The others wait for the next batch, so failover is immediate.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from onematter_kit import faults
from onematter_kit.backoff import Backoff, run_forever
from onematter_kit.kafka import stop_within
from onematter_kit.tables import OutboxMessage, utcnow

__all__ = ["OutboxRelay"]

log = logging.getLogger("onematter.outbox")
#: Advisory lock key of the relay (any constant unique within a service's database).
_RELAY_LOCK = 0x0E_7A11_0B0C


class OutboxRelay:
    def __init__(
        self,
        *,
        session_factory: async_sessionmaker[AsyncSession],
        producer_factory: Callable[[], AIOKafkaProducer],
        batch_size: int = 200,
        poll_interval: float = 1.0,
        max_backoff: float = 10.0,
        stop_timeout: float = 2.0,
    ) -> None:
        self._session_factory = session_factory
        self._producer_factory = producer_factory
        self._producer: AIOKafkaProducer | None = None
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._max_backoff = max_backoff
        self._stop_timeout = stop_timeout
        self._wakeup = asyncio.Event()
        self.published_total = 0
        #: Rows handed to the producer and not yet acknowledged by Kafka (a metric and a test aid).
        self.in_flight = 0

    def wake(self) -> None:
        """Called after a commit that emitted events; safe to call from the event loop's thread only."""
        self._wakeup.set()

    async def run(self) -> None:
        """Publish until cancelled. Never raises on Kafka or database outages: it waits and retries.

        When cancelled, the producer gets ``stop_timeout`` seconds to finish its sends (see
        :func:`~onematter_kit.kafka.stop_within`); rows Kafka did not acknowledge stay unpublished.
        """
        try:
            await run_forever(
                self._publish_or_wait,
                every=0,
                backoff=Backoff(initial=0.2, maximum=self._max_backoff),
                log=log,
                what="outbox relay cannot publish yet, retrying",
            )
        finally:
            await self._reset_producer()

    async def _publish_or_wait(self) -> None:
        try:
            published = await self.publish_batch()
        except Exception:
            await self._reset_producer()  # a fresh producer after an outage, not one stuck on old sends
            raise
        if published < self._batch_size:
            await self._wait_for_work()

    async def _wait_for_work(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), timeout=self._poll_interval)
        self._wakeup.clear()

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = self._producer_factory()
            try:
                await producer.start()
            except BaseException:
                await stop_within(producer, seconds=self._stop_timeout, what="outbox producer")
                raise
            self._producer = producer
        return self._producer

    async def _reset_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            await stop_within(producer, seconds=self._stop_timeout, what="outbox producer")

    async def publish_batch(self) -> int:
        """Publish one batch in id order; returns how many rows were marked sent."""
        failed = 0
        async with self._session_factory() as session, session.begin():
            query = (
                select(OutboxMessage)
                .where(col(OutboxMessage.published_at).is_(None))
                .order_by(col(OutboxMessage.id))
                .limit(self._batch_size)
            )
            if session.bind is not None and session.bind.dialect.name == "postgresql":
                if not (await session.execute(select(func.pg_try_advisory_xact_lock(_RELAY_LOCK)))).scalar():
                    return 0  # another replica is publishing; keep order by not competing
                query = query.with_for_update(skip_locked=True)
            rows = list((await session.execute(query)).scalars())
            if not rows:
                return 0
            producer = await self._ensure_producer()
            futures = [
                await producer.send(row.topic, value=row.payload, key=row.key.encode()) for row in rows
            ]
            self.in_flight = len(futures)
            try:
                results = await asyncio.gather(*futures, return_exceptions=True)
            finally:
                self.in_flight = 0
            faults.reach("outbox.acknowledged")  # tests only: a crash between Kafka's ack and the mark
            sent = _mark_acknowledged(rows, results)
            self.published_total += sent
            failed = len(rows) - sent
        if failed:  # raised after the commit, so the acknowledged prefix stays marked
            raise ConnectionError(f"Kafka did not acknowledge {failed} outbox rows")
        return sent

    async def backlog(self) -> int:
        """How many rows wait to be published (a metric and a test aid)."""
        async with self._session_factory() as session:
            query = (
                select(func.count())
                .select_from(OutboxMessage)
                .where(col(OutboxMessage.published_at).is_(None))
            )
            return int((await session.execute(query)).scalar_one())


def _mark_acknowledged(rows: list[OutboxMessage], results: list[object]) -> int:
    """Mark the unbroken prefix that Kafka acknowledged as sent; returns its length.

    What follows a failure is sent again next time, so one key's events are never marked out of order.
    """
    sent_at = utcnow()
    for sent, (row, result) in enumerate(zip(rows, results, strict=True)):
        if isinstance(result, BaseException):
            row.attempts += 1
            row.last_error = f"{type(result).__name__}: {result}"[:1000]
            return sent
        row.published_at = sent_at
    return len(rows)
