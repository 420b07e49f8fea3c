"""Container entry point: migrate the service's database, then ``exec`` uvicorn with its app factory.

``ONEMATTER_APP`` (baked into the image by ``deploy/Dockerfile``) names the factory, e.g.
``onematter_catalog.entrypoints.app:create_app``. If its module has ``MIGRATIONS``, they run to head
first, under a PostgreSQL advisory lock, so that ``docker compose up --scale acceptance-service=3`` has
one replica migrate while the others wait (Alembic itself does not lock). A failed migration exits
non-zero: the container restarts and stays unhealthy instead of serving on an old schema.
uvicorn replaces this process (``exec``), so it is PID 1 and gets ``SIGTERM`` for a graceful stop.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
from pathlib import Path

__all__ = ["MIGRATION_LOCK_KEY", "migrations_of", "uvicorn_argv"]

#: Any constant works: each service has its own database, so the lock is per service.
MIGRATION_LOCK_KEY = 0x6F6E656D  # "onem"


def migrations_of(app_spec: str) -> Path | None:
    """The Alembic directory next to the app factory (``MIGRATIONS``), or ``None`` (the gateway)."""
    module = importlib.import_module(app_spec.partition(":")[0])
    migrations = getattr(module, "MIGRATIONS", None)
    return Path(migrations) if migrations is not None else None


def uvicorn_argv(app_spec: str, *, port: str) -> list[str]:
    if app_spec.startswith("onematter_gateway."):
        # The gateway's own runner: uvicorn with the proxy's fast path for /api (see its __main__).
        return [sys.executable, "-m", "onematter_gateway", "--host", "0.0.0.0", "--port", port]  # noqa: S104
    return [
        "uvicorn",
        "--factory",
        app_spec,
        "--host",
        "0.0.0.0",  # noqa: S104
        "--port",
        port,
        "--no-server-header",
        "--timeout-graceful-shutdown",
        "20",
        "--no-access-log",
    ]


async def _migrate_under_lock(migrations: Path, database_url: str) -> None:
    from onematter_kit.migrations import upgrade_to_head
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            await upgrade_to_head(migrations, database_url)
    finally:  # closing the connection releases the session-level lock
        await engine.dispose()


def main() -> None:
    app_spec = os.environ["ONEMATTER_APP"]
    migrations = migrations_of(app_spec)
    if migrations is not None:
        print(f"migrating {migrations} to head", file=sys.stderr, flush=True)
        asyncio.run(_migrate_under_lock(migrations, os.environ["DATABASE_URL"]))
    argv = uvicorn_argv(app_spec, port=os.environ.get("PORT", "8000"))
    os.execvp(argv[0], argv)  # noqa: S606 — fixed argv, no shell


if __name__ == "__main__":
    main()
