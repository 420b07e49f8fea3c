"""The settings base every service extends (pydantic-settings).

Each service has one subclass with its own ``env_prefix``-free field names; the environment always wins.
``production`` refuses to start with a development default secret, so a forgotten variable is a clear
start-up error rather than a platform that anyone can sign tokens for.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from onematter_clock import AsOfClock, Clock, SystemClock
from pydantic import AwareDatetime, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from onematter_kit.errors import ConfigurationError

__all__ = ["DEVELOPMENT_INTERNAL_SECRET", "Environment", "ServiceSettings"]

#: Known to everyone who reads this file — acceptable only on a developer's machine and in tests.
DEVELOPMENT_INTERNAL_SECRET = "onematter-development-internal-token-secret-do-not-use"  # noqa: S105


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class ServiceSettings(BaseSettings):
    """What every OneMatter process needs; subclasses add their own fields."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)
    #: False for processes without a database of their own (the gateway).
    uses_database: ClassVar[bool] = True

    service_name: str = "service"
    environment: Environment = Environment.development
    database_url: str = "sqlite+aiosqlite:///./data/service.db"
    database_pool_size: int = Field(default=10, ge=1, le=200)
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    #: Prepended to every topic name; tests use it to isolate runs on one broker. Empty in production.
    kafka_topic_prefix: str = ""
    kafka_enabled: bool = True
    #: Seconds each Kafka client may take to stop (seconds; the whole stop takes at most one more):
    #: aiokafka's stop waits on the broker, and a lifespan gives a service 5 s to shut down.
    kafka_stop_timeout: float = Field(default=2.0, gt=0, le=30)
    #: Start the outbox relay and consumers in the API process (the one-machine default).
    run_workers: bool = True
    internal_token_secret: str = DEVELOPMENT_INTERNAL_SECRET
    internal_token_ttl_seconds: int = Field(default=60, ge=5, le=600)
    log_level: str = "INFO"
    log_json: bool = True
    #: Development and test only: run the whole system "as of" this instant (RFC 3339 with offset,
    #: e.g. ``2026-11-30T20:04:52Z``); the clock starts there and runs forward. Production refuses it.
    clock_as_of: AwareDatetime | None = None

    @model_validator(mode="after")
    def _refuse_development_secrets_in_production(self) -> ServiceSettings:
        if self.environment is Environment.production:
            if (
                self.internal_token_secret == DEVELOPMENT_INTERNAL_SECRET
                or len(self.internal_token_secret) < 32
            ):
                raise ConfigurationError(
                    "INTERNAL_TOKEN_SECRET must be set to a random value of at least 32 characters "
                    "in production"
                )
            if self.uses_database and self.database_url.startswith("sqlite"):
                raise ConfigurationError("production needs a PostgreSQL DATABASE_URL, not SQLite")
            if self.clock_as_of is not None:
                raise ConfigurationError(
                    "CLOCK_AS_OF is for development and tests; production runs on real time"
                )
        return self

    def build_clock(self) -> Clock:
        """The process's one clock: real time, or "as of" ``clock_as_of`` outside production."""
        return AsOfClock(self.clock_as_of) if self.clock_as_of is not None else SystemClock()

    @property
    def is_development(self) -> bool:
        return self.environment is not Environment.production
