"""Every Kafka client of a service logs in as the service's principal, production refuses to connect
anonymously, and a consumer refuses an event whose source is not the owner of its topic."""

from datetime import UTC, datetime
from typing import ClassVar

import pytest
from onematter_events import new_event
from onematter_events.applications import APPLICATION_WITHDRAWN, ApplicationWithdrawn
from onematter_kit.consumer import ForgedEvent, IdempotentConsumer
from onematter_kit.errors import ConfigurationError
from onematter_kit.kafka import kafka_client_options
from onematter_kit.settings import KafkaSettings, ServiceSettings

PRODUCTION = {
    "environment": "production",
    "internal_token_secret": "x" * 40,
    "database_url": "postgresql+asyncpg://db/x",
}
LOGIN = {
    "kafka_security_protocol": "SASL_PLAINTEXT",
    "kafka_username": "svc-acceptance",
    "kafka_password": "s3cret-from-a-file",
}


@pytest.fixture(autouse=True)
def _no_kafka_login_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test run's own broker login (``KAFKA_*``, see the testkit plugin) must not fill in the blanks."""
    for name in ("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_USERNAME", "KAFKA_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def test_a_sasl_client_logs_in_with_the_settings_principal() -> None:
    options = kafka_client_options(KafkaSettings(kafka_bootstrap_servers="kafka:9092", **LOGIN))

    assert options == {
        "bootstrap_servers": "kafka:9092",
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "svc-acceptance",
        "sasl_plain_password": "s3cret-from-a-file",
    }


def test_the_password_does_not_show_when_settings_are_printed() -> None:
    settings = ServiceSettings(**LOGIN)

    assert "s3cret-from-a-file" not in repr(settings) and "s3cret-from-a-file" not in str(settings)


def test_sasl_without_a_login_is_refused_at_start() -> None:
    with pytest.raises(ConfigurationError, match="KAFKA_USERNAME and KAFKA_PASSWORD"):
        KafkaSettings(kafka_security_protocol="SASL_PLAINTEXT", kafka_username="svc-acceptance")


def test_a_bare_bootstrap_string_takes_its_login_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in LOGIN.items():
        monkeypatch.setenv(name.upper(), value)

    assert kafka_client_options("kafka:9092")["sasl_plain_username"] == "svc-acceptance"


def test_production_refuses_an_anonymous_kafka_connection() -> None:
    with pytest.raises(ConfigurationError, match="authenticated Kafka connection"):
        ServiceSettings(**PRODUCTION)
    assert ServiceSettings(**PRODUCTION, **LOGIN).kafka_username == "svc-acceptance"


def test_production_takes_an_unauthenticated_kafka_only_when_the_operator_says_so() -> None:
    settings = ServiceSettings(**PRODUCTION, kafka_allow_unauthenticated=True)
    assert settings.kafka_username is None


def test_production_without_a_database_has_no_outbox_and_needs_no_kafka_login() -> None:
    class GatewayLike(ServiceSettings):
        uses_database: ClassVar[bool] = False

    assert GatewayLike(**PRODUCTION).uses_kafka is False


class _NoDatabase:
    """A unit of work factory that fails the test if the consumer gets as far as opening one."""

    def __call__(self) -> object:
        raise AssertionError("a forged event reached the database")


def _consumer() -> IdempotentConsumer:
    async def refuse(*_args: object) -> None:
        raise AssertionError("not called by handle()")

    return IdempotentConsumer(
        name="material.applications",
        bootstrap_servers="127.0.0.1:1",
        uow_factory=_NoDatabase(),  # type: ignore[arg-type]
        handlers={},
        topics=["onematter.applications"],
        dead_letter=refuse,
    )


def _withdrawn(source: str) -> bytes:
    event = new_event(
        APPLICATION_WITHDRAWN,
        ApplicationWithdrawn(
            application_id="app-1",
            acceptance_number="YW2025010600123",
            applicant_id="zhangsan",
            cancelled_task_ids=[],
            withdrawn_at=datetime.now(UTC),
        ),
    )
    return event.model_copy(update={"source": source}).to_bytes()


async def test_an_event_signed_by_another_service_is_refused_before_any_effect() -> None:
    with pytest.raises(ForgedEvent, match="source is not /onematter/acceptance"):
        await _consumer().handle(_withdrawn("/onematter/material"), topic="t1.onematter.applications")


async def test_an_event_on_a_topic_without_a_known_owner_is_refused() -> None:
    with pytest.raises(ForgedEvent, match="not a OneMatter topic with a known owner"):
        await _consumer().handle(_withdrawn("/onematter/acceptance"), topic="somebody.elses.topic")
