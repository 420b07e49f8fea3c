"""Notification settings: WEBHOOK_ALLOW_LOOPBACK is a development setting that production refuses."""

from __future__ import annotations

import pytest
from onematter_kit.errors import ConfigurationError
from onematter_notification.config import NotificationSettings

PRODUCTION = {
    "environment": "production",
    "internal_token_secret": "p" * 48,
    "database_url": "postgresql+asyncpg://notification@db/notification",
    "kafka_security_protocol": "SASL_SSL",
    "kafka_username": "svc-notification",
    "kafka_password": "secret-from-a-file",
}


def test_development_names_loopback_receivers() -> None:
    settings = NotificationSettings(environment="development", webhook_allow_loopback="127.0.0.1:9000")

    assert settings.webhook_loopback_receivers == {("127.0.0.1", 9000)}


def test_production_refuses_loopback_receivers_at_start_up_and_starts_without_them() -> None:
    assert NotificationSettings(**PRODUCTION).webhook_loopback_receivers == frozenset()
    with pytest.raises(ConfigurationError, match="WEBHOOK_ALLOW_LOOPBACK is a development setting"):
        NotificationSettings(**PRODUCTION, webhook_allow_loopback="127.0.0.1:9000")


def test_a_receiver_that_is_not_loopback_is_refused_even_in_development() -> None:
    with pytest.raises(ConfigurationError, match="WEBHOOK_ALLOW_LOOPBACK"):
        NotificationSettings(environment="development", webhook_allow_loopback="10.0.0.5:9000")
