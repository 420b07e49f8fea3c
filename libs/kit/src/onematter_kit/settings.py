"""The settings base every service extends (pydantic-settings).

Each service has one subclass with its own ``env_prefix``-free field names; the environment always wins.
``production`` refuses to start with a development default secret, so a forgotten variable is a clear
start-up error rather than a platform that anyone can sign tokens for; it also refuses a Kafka connection
without authentication (issue 16: the broker decides who may write and read each topic, which only works
if every client says who it is).
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar, Literal

from onematter_clock import AsOfClock, Clock, SystemClock
from pydantic import AwareDatetime, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from onematter_kit.errors import ConfigurationError
from onematter_kit.identity import InternalTokenSigner

__all__ = [
    "DEVELOPMENT_INTERNAL_SECRET",
    "Environment",
    "KafkaSecurityProtocol",
    "KafkaSettings",
    "ServiceSettings",
]

#: Known to everyone who reads this file — acceptable only on a developer's machine and in tests.
DEVELOPMENT_INTERNAL_SECRET = "onematter-development-internal-token-secret-do-not-use"  # noqa: S105


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class KafkaSecurityProtocol(StrEnum):
    """Kafka's ``security.protocol``. SASL_PLAINTEXT authenticates (SCRAM never sends the password) but
    does not encrypt: use it on a private network only, SASL_SSL anywhere else."""

    plaintext = "PLAINTEXT"
    sasl_plaintext = "SASL_PLAINTEXT"
    sasl_ssl = "SASL_SSL"


class KafkaSettings(BaseSettings):
    """Where Kafka is and who this process is to it (``KAFKA_*`` variables); every producer, consumer and
    admin client is built from these through ``onematter_kit.kafka.kafka_client_options``."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_security_protocol: KafkaSecurityProtocol = KafkaSecurityProtocol.plaintext
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256"] = "SCRAM-SHA-512"
    #: The principal: ``svc-<service>`` for a service, as created by the operator (``make run`` does).
    kafka_username: str | None = None
    kafka_password: SecretStr | None = None

    @model_validator(mode="after")
    def _sasl_needs_a_login(self) -> KafkaSettings:
        if self.kafka_security_protocol is not KafkaSecurityProtocol.plaintext and not (
            self.kafka_username and self.kafka_password and self.kafka_password.get_secret_value()
        ):
            raise ConfigurationError(
                f"KAFKA_SECURITY_PROTOCOL={self.kafka_security_protocol.value} needs KAFKA_USERNAME and "
                "KAFKA_PASSWORD"
            )
        return self


class ServiceSettings(KafkaSettings):
    """What every OneMatter process needs; subclasses add their own fields."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)
    #: False for processes without a database of their own (the gateway).
    uses_database: ClassVar[bool] = True

    service_name: str = "service"
    environment: Environment = Environment.development
    database_url: str = "sqlite+aiosqlite:///./data/service.db"
    database_pool_size: int = Field(default=10, ge=1, le=200)
    #: Prepended to every topic name; tests use it to isolate runs on one broker. Empty in production.
    kafka_topic_prefix: str = ""
    kafka_enabled: bool = True
    #: Seconds each Kafka client may take to stop (seconds; the whole stop takes at most one more):
    #: aiokafka's stop waits on the broker, and a lifespan gives a service 5 s to shut down.
    kafka_stop_timeout: float = Field(default=2.0, gt=0, le=30)
    #: Start the outbox relay and consumers in the API process (the one-machine default).
    run_workers: bool = True
    #: ``OUTBOX_POLL_SECONDS``: how often an idle relay looks for rows other replicas committed, and how
    #: often a standby replica tries the publishing lock (so: the longest takeover after the leader dies).
    outbox_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    internal_token_secret: str = DEVELOPMENT_INTERNAL_SECRET
    internal_token_ttl_seconds: int = Field(default=60, ge=5, le=600)
    log_level: str = "INFO"
    log_json: bool = True
    #: Development and test only: run the whole system "as of" this instant (RFC 3339 with offset,
    #: e.g. ``2026-11-30T20:04:52Z``); the clock starts there and runs forward. Production refuses it.
    clock_as_of: AwareDatetime | None = None
    #: Tests only: the process kills itself (SIGKILL) the first time it reaches this point
    #: (``onematter_kit.faults``). Production refuses it.
    fault_inject: str | None = None
    #: Production only: accept an unauthenticated (PLAINTEXT) Kafka connection after all. An explicit,
    #: logged choice of the operator for a broker reachable only on a private network that does not run
    #: SASL yet (today's docker compose stack); never the default.
    kafka_allow_unauthenticated: bool = False

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
            if self.fault_inject is not None:
                raise ConfigurationError("FAULT_INJECT is for the fault tests; production refuses it")
            if (
                self.uses_kafka
                and self.kafka_security_protocol is KafkaSecurityProtocol.plaintext
                and not self.kafka_allow_unauthenticated
            ):
                raise ConfigurationError(
                    "production needs an authenticated Kafka connection: KAFKA_SECURITY_PROTOCOL="
                    "SASL_SSL (or SASL_PLAINTEXT on a private network), KAFKA_USERNAME, KAFKA_PASSWORD "
                    "(or, knowingly, KAFKA_ALLOW_UNAUTHENTICATED=true)"
                )
        return self

    @property
    def uses_kafka(self) -> bool:
        """Kafka is on and this process has an outbox and consumers, i.e. a database of its own (the
        gateway has neither, so it needs no Kafka principal)."""
        return self.kafka_enabled and self.uses_database

    def build_clock(self) -> Clock:
        """The process's one clock: real time, or "as of" ``clock_as_of`` outside production."""
        return AsOfClock(self.clock_as_of) if self.clock_as_of is not None else SystemClock()

    def internal_signer(self) -> InternalTokenSigner:
        """Signs the internal tokens this process sends to other services: issuer
        ``onematter-<service_name>`` (every service's verifier accepts the prefix), lifetime
        ``internal_token_ttl_seconds``."""
        return InternalTokenSigner(
            self.internal_token_secret,
            issuer=f"onematter-{self.service_name}",
            ttl_seconds=self.internal_token_ttl_seconds,
        )

    @property
    def is_development(self) -> bool:
        return self.environment is not Environment.production
