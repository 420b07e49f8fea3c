"""aiokafka plumbing: the one place client options are built, the idempotent producer, topic creation and
a reachability check.

Every client — producer, consumer, admin — takes its options from :func:`kafka_client_options`, so a
process connects as one principal (``KAFKA_USERNAME``) with one security protocol. Each function takes
the process's :class:`~onematter_kit.settings.KafkaSettings` (a service's settings are those), or a bare
bootstrap string, whose security then comes from the ``KAFKA_*`` environment variables exactly as a
service's settings would read them.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code
from aiokafka.helpers import create_ssl_context

from onematter_kit.settings import KafkaSecurityProtocol, KafkaSettings

__all__ = [
    "DEFAULT_PARTITIONS",
    "KafkaTarget",
    "create_producer",
    "ensure_topics",
    "kafka_client_options",
    "kafka_ping",
]

log = logging.getLogger("onematter.kafka")
DEFAULT_PARTITIONS = 6
#: The process's Kafka settings, or a bootstrap string whose credentials come from the environment.
KafkaTarget = KafkaSettings | str


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
