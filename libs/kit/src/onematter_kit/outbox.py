"""The outbox relay: publishes committed outbox rows to Kafka and marks them sent.

Delivery is at-least-once: a crash between Kafka's acknowledgement and the row's update publishes the row
again on restart, and consumers are idempotent. While Kafka is down rows wait in the table; the relay
retries with backoff and resumes on its own.

Order and gaps (issue 19): on PostgreSQL a row's id is assigned at insert but the row is visible only at
commit, so reading by id alone can publish id 42 before id 41 commits late. Each row stores its writing
transaction's id (``xact_id``) and the relay reads only rows below the oldest running transaction, in
``(xact_id, id)`` order — see :mod:`onematter_kit.commit_order` for why that never reorders or skips. On
SQLite (``make run``) there is one writer at a time, ids are assigned in commit order and a plain id
order is correct.

One publisher (per-key order on Kafka needs a single producer): with several replicas on one PostgreSQL
database, only the replica holding the relay lock publishes, on the connection that holds it; the others
take over when it stops or dies (:mod:`onematter_kit.relay_lock`). ``is_leader`` tells which one publishes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from aiokafka import AIOKafkaProducer
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlmodel import col

from onematter_kit import faults
from onematter_kit.backoff import Backoff, run_forever
from onematter_kit.commit_order import below_horizon, held_back
from onematter_kit.database import is_postgres
from onematter_kit.kafka import stop_within
from onematter_kit.relay_lock import OUTBOX_RELAY_LOCK, PublishingLock
from onematter_kit.tables import OutboxMessage, utcnow

__all__ = ["OUTBOX_RELAY_LOCK", "OutboxRelay"]

log = logging.getLogger("onematter.outbox")
#: How soon to read again when committed rows wait for an older transaction to end (seconds).
_RECHECK_SECONDS = 0.05


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
        engine = session_factory.kw["bind"]
        assert isinstance(engine, AsyncEngine), "the relay's session factory must be bound to an engine"
        #: Only PostgreSQL needs one: on SQLite there is one process.
        self._lock = PublishingLock(engine) if is_postgres(engine) else None
        self._held_back = False
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
            if self._lock is not None:
                await self._lock.release()

    @property
    def held_back(self) -> bool:
        """Whether the last batch found committed rows waiting behind an older running transaction."""
        return self._held_back

    @property
    def is_leader(self) -> bool:
        """Whether this relay holds the publishing lock (always False on SQLite, where none is needed)."""
        return self._lock is not None and self._lock.held

    async def _publish_or_wait(self) -> None:
        try:
            published = await self.publish_batch()
        except Exception:
            await self._reset_producer()  # a fresh producer after an outage, not one stuck on old sends
            if self._lock is not None:
                await self._lock.check()
            raise
        if published < self._batch_size:
            await self._wait_for_work()

    async def _wait_for_work(self) -> None:
        # Committed rows held back behind an older transaction: look again soon, not at the next poll.
        timeout = min(_RECHECK_SECONDS, self._poll_interval) if self._held_back else self._poll_interval
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), timeout=timeout)
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
        """Publish one batch in order (see the module docstring); returns how many rows were marked sent.

        Returns 0 without reading when another replica holds the publishing lock.
        """
        session = await self._publishing_session()
        if session is None:
            return 0
        failed = 0
        async with session, session.begin():
            if self._lock is not None and not await self._lock.still_held(session):
                return 0
            # Held-back rows are looked for before the batch: one that turns readable in between is then
            # either in the batch or announced (a check after it could miss it until the next poll).
            self._held_back = await _any_held_back(session)
            rows = list((await session.execute(self._pending(session))).scalars())
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

    def _pending(self, session: AsyncSession) -> Select[OutboxMessage]:
        query = select(OutboxMessage).where(col(OutboxMessage.published_at).is_(None))
        if is_postgres(session.get_bind()):
            query = query.where(below_horizon(col(OutboxMessage.xact_id)))
            query = query.order_by(col(OutboxMessage.xact_id), col(OutboxMessage.id))
        else:
            query = query.order_by(col(OutboxMessage.id))
        return query.limit(self._batch_size)

    async def _publishing_session(self) -> AsyncSession | None:
        """A session on the lock holder's connection (PostgreSQL), a pooled one (SQLite), or None."""
        if self._lock is None:
            return self._session_factory()
        holder = await self._lock.connection()
        return None if holder is None else self._session_factory(bind=holder)

    async def backlog(self) -> int:
        """How many rows wait to be published (a metric and a test aid)."""
        async with self._session_factory() as session:
            query = (
                select(func.count())
                .select_from(OutboxMessage)
                .where(col(OutboxMessage.published_at).is_(None))
            )
            return int((await session.execute(query)).scalar_one())


async def _any_held_back(session: AsyncSession) -> bool:
    """Whether committed unpublished rows wait behind an older running transaction (PostgreSQL only)."""
    if not is_postgres(session.get_bind()):
        return False
    query = (
        select(col(OutboxMessage.id))
        .where(col(OutboxMessage.published_at).is_(None), held_back(col(OutboxMessage.xact_id)))
        .limit(1)
    )
    return (await session.execute(query)).first() is not None


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
