"""Async database engines for SQLite (aiosqlite, the one-machine default) and PostgreSQL (asyncpg).

The URL decides the driver. Engines are built by the composition root and disposed by its lifespan.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from onematter_kit.errors import ConfigurationError

__all__ = ["create_engine", "create_session_factory", "is_postgres", "ping"]


def is_postgres(bind: Any) -> bool:
    """For a URL, an engine (sync or async) or a connection: does it talk to PostgreSQL?"""
    dialect = getattr(bind, "dialect", None)
    if dialect is not None:
        return bool(dialect.name == "postgresql")
    return make_url(bind).get_backend_name() == "postgresql"


def create_engine(database_url: str, *, pool_size: int = 10) -> AsyncEngine:
    """An engine for ``database_url``; SQLite gets WAL, foreign keys and a busy timeout."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    if backend == "postgresql":
        if url.get_driver_name() != "asyncpg":
            url = url.set(drivername="postgresql+asyncpg")
        return create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            pool_recycle=1800,
            # Fail fast while PostgreSQL is down, so requests get a 503 instead of hanging.
            connect_args={"timeout": 5, "command_timeout": 30},
        )
    raise ConfigurationError(
        f"unsupported DATABASE_URL backend {backend!r}: use sqlite+aiosqlite or postgresql"
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def ping(engine: AsyncEngine) -> None:
    """Raise unless the database answers a trivial query."""
    from sqlalchemy import text

    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
