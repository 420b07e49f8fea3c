"""The idempotent consumer: each event's effect and its event id are committed in one transaction, and
the Kafka offset is committed only after that transaction.

* A redelivered event (same id) is skipped: its effect is applied once.
* A poison message — bytes that are not a CloudEvent, or a payload its model refuses — goes to the
  dead-letter topic ``<topic>.dlq`` with the reason in its headers, and the partition moves on.
* So does a forged event: one whose CloudEvents ``source`` is not the topic's owner in the ownership
  table (``onematter_events.ownership``), or that arrived on a topic OneMatter does not own. The broker's
  ACLs already stop other principals from writing; this stops what a stolen or misused credential sends.
* Any other failure (the database is down, a bug) is retried with backoff without committing the offset,
  so nothing is lost or skipped.
* Event types a consumer does not handle are recorded as processed and skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from onematter_events import CloudEvent, MalformedEvent, owner_source, parse_payload
from pydantic import ValidationError
from sqlalchemy import select
from sqlmodel import col

from onematter_kit import faults
from onematter_kit.backoff import Backoff, retry, run_forever
from onematter_kit.kafka import KafkaTarget, kafka_client_options, stop_within
from onematter_kit.tables import ProcessedEvent
from onematter_kit.unit_of_work import SqlUnitOfWork

__all__ = ["EventHandler", "ForgedEvent", "IdempotentConsumer", "PoisonMessage"]

log = logging.getLogger("onematter.consumer")

#: ``handler(event, uow)``: apply the effect through ``uow`` (and emit follow-up events); do not commit.
EventHandler = Callable[[CloudEvent, Any], Awaitable[None]]


class PoisonMessage(Exception):
    """Raised by a handler for an event that can never be applied; it goes to the dead-letter topic."""


class ForgedEvent(PoisonMessage):
    """An event whose ``source`` is not the owner of the topic it arrived on; dead-lettered, never applied."""


class IdempotentConsumer:
    def __init__(
        self,
        *,
        name: str,
        # the service's Kafka settings (its principal), or a bootstrap string (security from KAFKA_*)
        bootstrap_servers: KafkaTarget,
        uow_factory: Callable[[], SqlUnitOfWork],
        handlers: dict[str, EventHandler],
        topics: Collection[str] = (),
        pattern: str | None = None,
        dead_letter: Callable[[str, bytes | None, bytes | None, str], Awaitable[None]],
        max_backoff: float = 10.0,
        stop_timeout: float = 2.0,
    ) -> None:
        if not topics and not pattern:
            raise ValueError("a consumer needs topics or a pattern")
        self.name = name
        self._client_options = kafka_client_options(bootstrap_servers)
        self._uow_factory = uow_factory
        self._handlers = handlers
        self._topics = list(topics)
        self._pattern = pattern
        self._dead_letter = dead_letter
        self._max_backoff = max_backoff
        self._stop_timeout = stop_timeout
        self.applied_total = 0
        self.skipped_duplicates = 0
        self.dead_lettered = 0
        self.lag = 0
        self._lag_by_partition: dict[TopicPartition, int] = {}

    def _new_consumer(self) -> AIOKafkaConsumer:
        return AIOKafkaConsumer(
            **self._client_options,
            group_id=self.name,
            client_id=self.name,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            metadata_max_age_ms=5000,  # a new department's task topic is picked up within seconds
            max_poll_records=100,
        )

    async def run(self) -> None:
        """Consume until cancelled; reconnects after Kafka outages.

        When cancelled, the Kafka consumer gets ``stop_timeout`` seconds to leave its group (see
        :func:`~onematter_kit.kafka.stop_within`); offsets are committed per event, so a cut loses nothing.
        """
        backoff = Backoff(initial=0.5, maximum=self._max_backoff)
        await run_forever(
            lambda: self._connected(backoff),
            every=0,
            backoff=backoff,
            log=log,
            what="consumer stopped, reconnecting",
            context={"consumer": self.name},
        )

    async def _connected(self, backoff: Backoff) -> None:
        """One connection: start, subscribe and consume until it fails; always stopped on the way out."""
        consumer = self._new_consumer()
        try:
            await consumer.start()
            if self._pattern:
                consumer.subscribe(pattern=self._pattern)
            else:
                consumer.subscribe(self._topics)
            backoff.reset()  # connected: the next outage starts again from the shortest delay
            await self._consume(consumer)
        finally:
            await stop_within(consumer, seconds=self._stop_timeout, what=self.name)

    async def _consume(self, consumer: AIOKafkaConsumer) -> None:
        while True:
            batches = await consumer.getmany(timeout_ms=1000)
            for partition, records in batches.items():
                for record in records:
                    await self._handle_with_retry(record)
                    faults.reach("consumer.committed")  # tests only: a crash before the offset commit
                    await consumer.commit({partition: record.offset + 1})
                self._update_lag(consumer, partition, records[-1].offset + 1)

    def _update_lag(self, consumer: AIOKafkaConsumer, partition: TopicPartition, next_offset: int) -> None:
        highwater = consumer.highwater(partition)
        if highwater is not None:
            self._lag_by_partition[partition] = max(0, highwater - next_offset)
            self.lag = sum(self._lag_by_partition.values())

    async def _handle_with_retry(self, record: ConsumerRecord) -> None:
        """Apply or dead-letter ``record``; any other failure is retried in place (the offset waits)."""
        await retry(
            lambda: self._handle_or_dead_letter(record),
            backoff=Backoff(initial=0.2, maximum=self._max_backoff),
            log=log,
            what="event handling failed, retrying",
            context={"consumer": self.name},
        )

    async def _handle_or_dead_letter(self, record: ConsumerRecord) -> None:
        try:
            await self.handle(record.value, topic=record.topic, key=record.key)
        except (MalformedEvent, ValidationError, PoisonMessage) as exc:
            reason = f"{type(exc).__name__}: {exc}"[:1000]
            log.error(
                "poison message sent to the dead-letter topic",
                extra={
                    "consumer": self.name,
                    "topic": record.topic,
                    "offset": record.offset,
                    "reason": reason[:200],
                },
            )
            await self._dead_letter(record.topic, record.key, record.value, reason)
            self.dead_lettered += 1

    async def handle(self, raw: bytes | None, *, topic: str, key: bytes | None = None) -> bool:
        """Apply one message from ``topic`` once. Returns False when it was a duplicate or of a type not
        handled. Raises ``MalformedEvent``, ``ValidationError`` or ``PoisonMessage`` (``ForgedEvent``) for
        what must be dead-lettered, before any effect."""
        event = CloudEvent.from_bytes(raw)
        _refuse_forged(event, topic)
        handler = self._handlers.get(event.type)
        if handler is not None:
            parse_payload(event)  # a payload its model refuses is poison, found before any effect
        async with self._uow_factory() as uow:
            already = await uow.session.execute(
                select(col(ProcessedEvent.event_id)).where(
                    col(ProcessedEvent.consumer) == self.name, col(ProcessedEvent.event_id) == event.id
                )
            )
            if already.first() is not None:
                self.skipped_duplicates += 1
                return False
            if handler is not None:
                await handler(event, uow)
            uow.session.add(ProcessedEvent(consumer=self.name, event_id=event.id, event_type=event.type))
            await uow.commit()
        if handler is not None:
            self.applied_total += 1
        return handler is not None


def _refuse_forged(event: CloudEvent, topic: str) -> None:
    """Raise :class:`ForgedEvent` unless ``event.source`` is the source of ``topic``'s owner. The claimed
    source is not repeated in the reason: it is whatever the sender chose to write."""
    expected = owner_source(topic)
    if expected is None:
        raise ForgedEvent(f"{topic} is not a OneMatter topic with a known owner")
    if event.source != expected:
        raise ForgedEvent(f"source is not {expected}, the owner of {topic}")
