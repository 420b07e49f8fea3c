"""The material service's tables. Alembic reads ``metadata`` to generate migrations."""

from __future__ import annotations

from sqlmodel import SQLModel

from onematter_kit.tables import OutboxMessage, ProcessedEvent

__all__ = ["OutboxMessage", "ProcessedEvent", "metadata"]

metadata = SQLModel.metadata
