"""aiokafka plumbing: the idempotent producer, topic creation, a reachability check, a bounded stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from typing import Any, Protocol

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

__all__ = ["DEFAULT_PARTITIONS", "Stoppable", "create_producer", "ensure_topics", "kafka_ping", "stop_within"]

log = logging.getLogger("onematter.kafka")
DEFAULT_PARTITIONS = 6
#: Stops that ran past their bound and finish in the background (a reference keeps them alive).
_LINGERING: set[asyncio.Task[Any]] = set()


class Stoppable(Protocol):
    """An aiokafka client (consumer, producer): anything with ``async stop()``."""

    async def stop(self) -> Any: ...


def create_producer(bootstrap_servers: str, *, client_id: str) -> AIOKafkaProducer:
    """An idempotent producer (``acks=all``): retries never duplicate or reorder within a partition."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=2,
        request_timeout_ms=15000,
        retry_backoff_ms=200,
    )


async def ensure_topics(
    bootstrap_servers: str,
    topics: Iterable[str],
    *,
    partitions: int = DEFAULT_PARTITIONS,
    replication_factor: int = 1,
) -> None:
    """Create the topics that do not exist yet (the brokers have auto-creation off)."""
    wanted = sorted(set(topics))
    if not wanted:
        return
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=10000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in wanted if t not in existing]
        if missing:
            # another replica may create it between our listing and our request
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics([NewTopic(t, partitions, replication_factor) for t in missing])
            log.info("created topics", extra={"topics": missing})
    finally:
        await admin.close()


async def kafka_ping(bootstrap_servers: str) -> None:
    """Raise unless a broker answers a metadata request."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=3000)
    await admin.start()
    try:
        await admin.describe_cluster()
    finally:
        await admin.close()


async def stop_within(client: Stoppable, *, seconds: float, what: str) -> bool:
    """Stop ``client``, waiting at most ``seconds``; True if it stopped in time.

    aiokafka's ``stop()`` waits on the broker: a consumer first lets a group join or sync in progress
    finish and then sends LeaveGroup (up to ``request_timeout_ms``, 40 s by default); a producer flushes
    the sends still in flight (until they are acknowledged or time out). When Kafka does not answer, a
    service would hang in its shutdown. Past ``seconds`` the stop goes on in the background (the event
    loop's own shutdown cancels it) and a warning names ``what`` was cut. Nothing is lost by the cut: the
    consumer commits offsets only after each event's transaction, and outbox rows are marked sent only
    after Kafka acknowledged them, so the unacknowledged ones are published again.
    """
    stopping = asyncio.ensure_future(client.stop())
    _LINGERING.add(stopping)
    stopping.add_done_callback(_forget)
    try:
        await asyncio.wait_for(asyncio.shield(stopping), seconds)
    except TimeoutError:
        log.warning("Kafka client stop cut short", extra={"client": what, "after_seconds": seconds})
        return False
    except Exception as exc:  # a failing stop leaves nothing to wait for
        log.warning("Kafka client stop failed", extra={"client": what, "error": type(exc).__name__})
        return False
    return True


def _forget(task: asyncio.Task[Any]) -> None:
    _LINGERING.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved, so a late failure is not reported as "never retrieved"
