"""The whole system as real processes for end-to-end tests: every service on its own fresh PostgreSQL
database, the shared real Kafka with a topic prefix of its own, and the gateway in front.

One system per test session (starting five processes costs seconds); tests use their own data.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from pathlib import Path

import httpx
import pytest
from onematter_devtools.launcher import SERVICES, System, free_port

#: The login budget per user name on the test systems (the gateway's ``LOGIN_ATTEMPTS_PER_USER_BURST``;
#: production's default is 10). The browser suite logs zhangsan in through the form in nearly every test,
#: and on a fast run more than 10 of those fell within one minute: the 11th got the (correct) 429.
LOGIN_BURST_PER_USER = 40
#: Every test client shares 127.0.0.1, like an office behind one address; the per-address login limit
#: has its own tests in gateway/tests/unit/entrypoints/test_login.py.
LOGIN_BURST_PER_ADDRESS = 600


class RunningSystem:
    """What an end-to-end test may touch: the gateway, Kafka, and the processes (for fault tests)."""

    def __init__(self, system: System, *, kafka_bootstrap: str) -> None:
        self._system = system
        self.gateway_url = system.gateway_url
        self.kafka_bootstrap = kafka_bootstrap
        self.topic_prefix = system.topic_prefix
        self.login_burst_per_user = LOGIN_BURST_PER_USER
        self._tokens: dict[str, str] = {}

    def client(self, **kwargs: object) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.gateway_url, timeout=30, **kwargs)  # type: ignore[arg-type]

    def service_url(self, service: str) -> str:
        return self._system.url(service)

    async def token(self, username: str) -> str:
        if username not in self._tokens:
            async with self.client() as client:
                response = await client.post("/auth/token", json={"username": username, "password": "demo"})
                assert response.status_code == 200, response.text
                self._tokens[username] = response.json()["access_token"]
        return self._tokens[username]

    async def auth(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {await self.token(username)}"}

    def kill(self, service: str) -> None:
        self._system.kill(service)

    def restart(self, service: str) -> None:
        self._system.restart(service)

    def restart_as_of(self, service: str, instant: str) -> None:
        """Restart ``service`` with its clock "as of" ``instant`` (e.g. to let a due date pass)."""
        self._system.extra_env[service] = self._system.extra_env.get(service, {}) | {"CLOCK_AS_OF": instant}
        self._system.restart(service, timeout=120)  # a fresh start on shared CPUs may take a while

    def log(self, service: str) -> str:
        return self._system.log_file(service).read_text(errors="replace")


async def _create_databases(admin_dsn: str, names: list[str]) -> None:
    import asyncpg

    connection = await asyncpg.connect(admin_dsn)
    try:
        for name in names:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def _drop_databases(admin_dsn: str, names: list[str]) -> None:
    import asyncpg

    connection = await asyncpg.connect(admin_dsn)
    try:
        for name in names:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@contextmanager
def launched_system(
    kafka_bootstrap: str,
    postgres_dsn: str,
    tmp_path_factory: pytest.TempPathFactory,
    *,
    every_service_env: dict[str, str] | None = None,
) -> Iterator[RunningSystem]:
    """A whole system on fresh databases, stopped and dropped afterwards; ``every_service_env`` is added to
    every service's environment (e.g. ``CLOCK_AS_OF`` to run the system "as of" an instant)."""
    run_id = secrets.token_hex(4)
    names = {s.name: f"e2e_{run_id}_{s.name.replace('-', '_')}" for s in SERVICES if s.name != "gateway"}
    asyncio.run(_create_databases(postgres_dsn, list(names.values())))
    base = postgres_dsn.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    ports = {s.name: free_port() for s in SERVICES}
    data_dir = Path(tmp_path_factory.mktemp(f"system-{run_id}"))
    extra_env = {
        "acceptance": {"MATERIAL_URL": f"http://127.0.0.1:{ports['material']}"},
        "material": {"ACCEPTANCE_URL": f"http://127.0.0.1:{ports['acceptance']}"},
        "notification": {"DIGEST_WINDOW_SECONDS": "3"},
        "gateway": {
            "LOGIN_ATTEMPTS_PER_USER_BURST": str(LOGIN_BURST_PER_USER),
            "LOGIN_ATTEMPTS_PER_ADDRESS_BURST": str(LOGIN_BURST_PER_ADDRESS),
        },
    }  # SSRF guard on, as in production
    extra_env = {s.name: extra_env.get(s.name, {}) | (every_service_env or {}) for s in SERVICES}
    launched = System(
        kafka_bootstrap=kafka_bootstrap,
        data_dir=data_dir,
        ports=ports,
        topic_prefix=f"e2e{run_id}.",
        environment="test",
        database_urls={svc: f"{base}/{db}" for svc, db in names.items()},
        extra_env=extra_env,
    )
    try:
        launched.start()
        launched.wait_ready(timeout=120)
        yield RunningSystem(launched, kafka_bootstrap=kafka_bootstrap)
    finally:
        launched.stop()
        asyncio.run(_drop_databases(postgres_dsn, list(names.values())))


@pytest.fixture(scope="session")
def system(
    kafka_bootstrap: str, postgres_dsn: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningSystem]:
    with launched_system(kafka_bootstrap, postgres_dsn, tmp_path_factory) as running:
        yield running


@pytest.fixture(scope="session")
def launch_system(
    kafka_bootstrap: str, postgres_dsn: str, tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., AbstractContextManager[RunningSystem]]:
    """Start another whole system, e.g. ``with launch_system(every_service_env={"CLOCK_AS_OF": ...})``."""
    return partial(launched_system, kafka_bootstrap, postgres_dsn, tmp_path_factory)
