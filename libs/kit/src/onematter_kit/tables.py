"""Tables every service has in its own database: the outbox and the record of processed events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from onematter_clock import system_now
from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, LargeBinary, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from onematter_kit.commit_order import xact_id_column

__all__ = ["OutboxMessage", "ProcessedEvent", "UtcDateTime", "utcnow"]


def utcnow() -> datetime:
    """The system time, aware; for bookkeeping columns (outbox, processed events) only.

    Anything a person or a rule sees takes "now" from the service's clock instead (``runtime.clock``).
    """
    return system_now()


class UtcDateTime(TypeDecorator[datetime]):
    """An instant column: stored in UTC, read back aware on every database (SQLite forgets the offset).

    Writing a naive datetime raises ``ValueError``: OneMatter never guesses which zone a time was in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime written to an instant column")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        instant: datetime = value
        return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


class OutboxMessage(SQLModel, table=True):
    """An event written in the same transaction as the change it reports; the relay publishes it.

    ``xact_id`` is the writing transaction's id (PostgreSQL sets it; NULL on SQLite): the relay publishes
    in ``(xact_id, id)`` order below the oldest running transaction (see :mod:`onematter_kit.commit_order`).
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_pending", "published_at", "xact_id", "id"),)

    # SQLite only auto-increments an INTEGER PRIMARY KEY, PostgreSQL gets a BIGINT identity.
    id: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    event_id: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    event_type: str = Field(sa_column=Column(String(128), nullable=False))
    topic: str = Field(sa_column=Column(String(255), nullable=False))
    key: str = Field(sa_column=Column(String(255), nullable=False))
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    published_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    xact_id: int | None = Field(default=None, sa_column=xact_id_column())


class ProcessedEvent(SQLModel, table=True):
    """One row per (consumer, event id): written in the same transaction as the event's effect."""

    __tablename__ = "processed_events"

    consumer: str = Field(sa_column=Column(String(128), primary_key=True))
    event_id: str = Field(sa_column=Column(String(64), primary_key=True))
    event_type: str = Field(sa_column=Column(String(128), nullable=False))
    processed_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
