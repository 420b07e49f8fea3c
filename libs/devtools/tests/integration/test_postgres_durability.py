"""A durable throwaway cluster (the fault tests' PostgreSQL, issue 19): production's durability settings
are in force, and a commit the server acknowledged survives an immediate shutdown (a crash)."""

from __future__ import annotations

import asyncio
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from onematter_devtools.launcher import free_port
from onematter_devtools.postgres import PostgresCluster

pytestmark = pytest.mark.integration


@pytest.fixture
def durable() -> Iterator[PostgresCluster]:
    port = free_port()
    cluster = PostgresCluster(
        port=port,
        base_dir=Path(f"/tmp/onematter-pg-durable-{port}-{secrets.token_hex(3)}"),
        durable=True,
    )
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(cluster.home, ignore_errors=True)


async def _settings(dsn: str) -> dict[str, str]:
    connection = await asyncpg.connect(dsn)
    try:
        names = ("fsync", "synchronous_commit", "full_page_writes")
        return {n: await connection.fetchval(f"SHOW {n}") for n in names}
    finally:
        await connection.close()


async def test_a_durable_cluster_runs_with_production_durability(durable: PostgresCluster) -> None:
    # PostgreSQL's documented defaults (runtime-config-wal): all three on.
    assert await _settings(durable.dsn) == {
        "fsync": "on",
        "synchronous_commit": "on",
        "full_page_writes": "on",
    }


async def test_an_acknowledged_commit_survives_an_immediate_shutdown(durable: PostgresCluster) -> None:
    connection = await asyncpg.connect(durable.dsn)
    try:
        await connection.execute("CREATE TABLE acknowledged (n int PRIMARY KEY)")
        await connection.executemany("INSERT INTO acknowledged VALUES ($1)", [(n,) for n in range(100)])
    finally:
        await connection.close()
    assert await asyncio.to_thread(durable.crash)
    assert not durable.is_running()
    await asyncio.to_thread(durable.start)
    connection = await asyncpg.connect(durable.dsn)
    try:
        assert await connection.fetchval("SELECT count(*) FROM acknowledged") == 100
    finally:
        await connection.close()
    assert "database system was interrupted" in durable.log_file.read_text()
