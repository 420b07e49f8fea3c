"""Two replicas of a service start at once on one empty PostgreSQL database: both migrate it.

Each replica is its own process (Alembic's ``context`` is process-global, so threads would not show it).
"""

import asyncio
import sys
from pathlib import Path

import asyncpg
import pytest

pytestmark = pytest.mark.integration

#: One migration that sleeps 3 s inside its transaction, so the replicas' upgrades overlap.
MIGRATIONS = Path(__file__).parent / "slow_migrations"
_UPGRADE = (
    "import asyncio, sys; from pathlib import Path; from onematter_kit.migrations import upgrade_to_head; "
    "asyncio.run(upgrade_to_head(Path(sys.argv[1]), sys.argv[2]))"
)


async def _replica_migrates(database_url: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _UPGRADE, str(MIGRATIONS), database_url, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=150)
    return process.returncode or 0, stderr.decode(errors="replace")[-600:]


async def test_replicas_migrating_one_empty_database_at_once_all_succeed_and_apply_it_once(
    fresh_database_url: str,
) -> None:
    results = await asyncio.gather(*(_replica_migrates(fresh_database_url) for _ in range(3)))

    assert [err for code, err in results if code != 0] == []
    connection = await asyncpg.connect(fresh_database_url.replace("+asyncpg", "", 1))
    try:
        versions = await connection.fetch("SELECT version_num FROM alembic_version")
        tables = await connection.fetchval("SELECT to_regclass('slow_things') IS NOT NULL")
    finally:
        await connection.close()
    assert [v["version_num"] for v in versions] == ["0001_slow"]
    assert tables
