"""pytest plugin: fixtures for the real PostgreSQL and Kafka that ``make test`` starts.

Integration tests that lack them fail with a clear message instead of being skipped: a run that skips
its integration tests would look green and prove nothing.

The test broker takes SASL/SCRAM logins only. At start-up the plugin copies its admin login
(``ONEMATTER_TEST_KAFKA_USERNAME`` …, written by ``infra up``) to the ``KAFKA_*`` variables a service's
settings read, unless they are set: services built in-process by a test, and systems it launches, then
reach the broker as the admin, while a ``DedicatedStack`` gives each service its own principal.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator

import pytest

from onematter_testkit.kafka import TEST_KAFKA_SETTINGS

__all__ = ["fresh_database_url", "kafka_bootstrap", "postgres_dsn", "sqlite_url", "topic_prefix"]


def pytest_configure(config: pytest.Config) -> None:
    for test_name, setting in TEST_KAFKA_SETTINGS.items():
        if test_name in os.environ:
            os.environ.setdefault(setting, os.environ[test_name])


def _require(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        pytest.fail(
            f"{variable} is not set: run the tests with `make test` (or `make infra-up` and source "
            f".cache/test-infra/env), which starts the real Kafka and PostgreSQL",
            pytrace=False,
        )
    return value


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    return _require("ONEMATTER_TEST_KAFKA")


@pytest.fixture(scope="session")
def postgres_dsn() -> str:
    return _require("ONEMATTER_TEST_POSTGRES")


@pytest.fixture
def topic_prefix() -> str:
    """A prefix that gives this test its own topics on the shared broker."""
    return f"t{secrets.token_hex(4)}."


@pytest.fixture
async def fresh_database_url(postgres_dsn: str) -> AsyncIterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    import asyncpg

    name = f"t_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(postgres_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    base = postgres_dsn.rsplit("/", 1)[0]
    yield f"{base.replace('postgresql://', 'postgresql+asyncpg://', 1)}/{name}"
    admin = await asyncpg.connect(postgres_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
async def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite+aiosqlite:///{tmp_path}/test.db"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``@pytest.mark.slow`` tests (long fault tests) run only with ``ONEMATTER_SLOW_TESTS=1``."""
    if os.environ.get("ONEMATTER_SLOW_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="slow: run with ONEMATTER_SLOW_TESTS=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
