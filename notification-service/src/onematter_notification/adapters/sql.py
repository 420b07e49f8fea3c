"""``INSERT … ON CONFLICT`` for both supported databases (SQLAlchemy has it per dialect, not generically)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["upsert_statement"]


def upsert_statement(session: AsyncSession, table: Any) -> Any:
    """An ``insert(table)`` of the session's dialect, which offers ``on_conflict_do_nothing/_update``."""
    dialect = session.bind.dialect.name  # type: ignore[union-attr]
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for the {dialect} dialect")
