"""Alembic, one migration history per service.

A service's ``migrations/env.py`` calls :func:`run_alembic_env`; the service's start-up (and the
``migrate`` entry point) call :func:`upgrade_to_head`. ``create_all`` is never used outside unit tests.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import async_engine_from_config

__all__ = ["alembic_config", "run_alembic_env", "upgrade_to_head"]

#: Advisory lock key held while migrating (any constant unique within a service's database).
_MIGRATION_LOCK = 0x0E_A1E3_B1C0


def alembic_config(script_location: Path, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    # ConfigParser interpolation would choke on a '%' in a password.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


async def upgrade_to_head(script_location: Path, database_url: str) -> None:
    """Apply every pending migration. Runs Alembic in a thread, since its env runs its own event loop."""
    config = alembic_config(script_location, database_url)
    await asyncio.to_thread(command.upgrade, config, "head")


def _run_sync(connection: Connection, metadata: MetaData) -> None:
    render_as_batch = connection.dialect.name == "sqlite"  # SQLite alters tables by copying them.
    context.configure(
        connection=connection, target_metadata=metadata, render_as_batch=render_as_batch, compare_type=True
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Replicas starting together would each find the database unmigrated and collide on the
            # first CREATE TABLE; the lock makes the later ones wait and then find it at head.
            lock = text("SELECT pg_advisory_xact_lock(CAST(:key AS bigint))")
            connection.execute(lock, {"key": _MIGRATION_LOCK})
        context.run_migrations()


async def _run_online(metadata: MetaData) -> None:
    engine = async_engine_from_config(
        context.config.get_section(context.config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    async with engine.connect() as connection:
        await connection.run_sync(_run_sync, metadata)
    await engine.dispose()


def run_alembic_env(metadata: MetaData) -> None:
    """The body of every service's ``migrations/env.py``."""
    if context.is_offline_mode():
        context.configure(
            url=context.config.get_main_option("sqlalchemy.url"), target_metadata=metadata, literal_binds=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(metadata))
