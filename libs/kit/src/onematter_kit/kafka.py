"""aiokafka plumbing: the one place client options are built, the idempotent producer, topic creation a
reachability check and a bounded stop.

Every client — producer, consumer, admin — takes its options from :func:`kafka_client_options`, so a
process connects as one principal (``KAFKA_USERNAME``) with one security protocol. Each function takes
the process's :class:`~onematter_kit.settings.KafkaSettings` (a service's settings are those), or a bare
bootstrap string, whose security then comes from the ``KAFKA_*`` environment variables exactly as a
service's settings would read them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from typing import Any, Protocol

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code
from aiokafka.helpers import create_ssl_context

from onematter_kit.settings import KafkaSecurityProtocol, KafkaSettings

__all__ = [
    "DEFAULT_PARTITIONS",
    "KafkaTarget",
    "Stoppable",
    "create_producer",
    "ensure_topics",
    "kafka_client_options",
    "kafka_ping",
    "stop_within",
]

log = logging.getLogger("onematter.kafka")
DEFAULT_PARTITIONS = 6
#: The process's Kafka settings, or a bootstrap string whose credentials come from the environment.
KafkaTarget = KafkaSettings | str
#: Stops that ran past their bound and finish in the background (a reference keeps them alive).
_LINGERING: set[asyncio.Task[Any]] = set()


class Stoppable(Protocol):
    """An aiokafka client (consumer, producer): anything with ``async stop()``."""

    async def stop(self) -> Any: ...


def kafka_client_options(kafka: KafkaTarget) -> dict[str, Any]:
    """Keyword arguments for any aiokafka client: ``bootstrap_servers`` plus, for SASL, the security
    protocol, mechanism and login (aiokafka names SCRAM's login ``sasl_plain_*``). The password only
    ever travels in this dict; it is not logged."""
    settings = KafkaSettings(kafka_bootstrap_servers=kafka) if isinstance(kafka, str) else kafka
    options: dict[str, Any] = {"bootstrap_servers": settings.kafka_bootstrap_servers}
    if settings.kafka_security_protocol is KafkaSecurityProtocol.plaintext:
        return options
    assert settings.kafka_password is not None  # the settings refuse SASL without a login
    options |= {
        "security_protocol": settings.kafka_security_protocol.value,
        "sasl_mechanism": settings.kafka_sasl_mechanism,
        "sasl_plain_username": settings.kafka_username,
        "sasl_plain_password": settings.kafka_password.get_secret_value(),
    }
    if settings.kafka_security_protocol is KafkaSecurityProtocol.sasl_ssl:
        options["ssl_context"] = create_ssl_context()  # the system's trusted CAs
    return options


def create_producer(kafka: KafkaTarget, *, client_id: str) -> AIOKafkaProducer:
    """An idempotent producer (``acks=all``): retries never duplicate or reorder within a partition."""
    return AIOKafkaProducer(
        **kafka_client_options(kafka),
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=2,
        request_timeout_ms=15000,
        retry_backoff_ms=200,
    )


async def ensure_topics(
    kafka: KafkaTarget,
    topics: Iterable[str],
    *,
    partitions: int = DEFAULT_PARTITIONS,
    replication_factor: int = 1,
) -> None:
    """Create the topics that do not exist yet (the brokers have auto-creation off).

    Raises the broker's error (e.g. ``TopicAuthorizationFailedError`` for a principal without CREATE on a
    topic) instead of carrying on as if the topic existed."""
    wanted = sorted(set(topics))
    if not wanted:
        return
    admin = AIOKafkaAdminClient(**kafka_client_options(kafka), request_timeout_ms=10000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in wanted if t not in existing]
        if missing:
            # another replica may create it between our listing and our request
            with contextlib.suppress(TopicAlreadyExistsError):
                response = await admin.create_topics(
                    [NewTopic(t, partitions, replication_factor) for t in missing]
                )
                _raise_topic_errors(response)
            log.info("created topics", extra={"topics": missing})
    finally:
        await admin.close()


def _raise_topic_errors(response: Any) -> None:
    """aiokafka returns per-topic errors in the response instead of raising them."""
    for topic_error in response.topic_errors:
        topic, code = topic_error[0], topic_error[1]
        if code and code != TopicAlreadyExistsError.errno:
            raise for_code(code)(f"cannot create topic {topic}")


async def kafka_ping(kafka: KafkaTarget) -> None:
    """Raise unless a broker answers a metadata request (and, with SASL, accepts our login)."""
    admin = AIOKafkaAdminClient(**kafka_client_options(kafka), request_timeout_ms=3000)
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
