"""The hotline service's tables (prefixed ``hotline_``). Alembic reads ``metadata``.

A request is stored as the JSON document of the domain model plus the columns its queries filter on
(status, category, region, office, due date) and its content words for 并单 (space-separated).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from onematter_kit.tables import OutboxMessage, ProcessedEvent, UtcDateTime
from sqlalchemy import JSON, Column, Date, Index, String, Text
from sqlmodel import Field, SQLModel

__all__ = [
    "HotlineDispatchRule",
    "HotlineKnowledge",
    "HotlineRequestRow",
    "OutboxMessage",
    "ProcessedEvent",
    "metadata",
]

metadata = SQLModel.metadata


def _text(length: int | None = None, *, nullable: bool = False, primary_key: bool = False) -> Any:
    kind = String(length) if length else Text()
    return Field(sa_column=Column(kind, nullable=nullable, primary_key=primary_key))


class HotlineRequestRow(SQLModel, table=True):
    __tablename__ = "hotline_requests"
    __table_args__ = (
        Index("ix_hotline_requests_open", "category", "region", "status"),
        Index("ix_hotline_requests_due", "status", "due_on"),
        Index("ix_hotline_requests_office", "office", "status"),
    )

    id: str = _text(36, primary_key=True)
    type: str = _text(16)
    status: str = _text(16)
    category: str = _text(32)
    region: str = _text(6)
    office: str | None = _text(32, nullable=True)
    due_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    words: str = _text()
    document: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    received_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class HotlineKnowledge(SQLModel, table=True):
    """A knowledge-base entry: ``matter:<code>`` from the catalog, or ``note:<uuid>`` by an operator."""

    __tablename__ = "hotline_knowledge"

    id: str = _text(80, primary_key=True)
    source: str = _text(16)
    title: str = _text(200)
    body: str = _text()
    words: str = _text()
    updated_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class HotlineDispatchRule(SQLModel, table=True):
    __tablename__ = "hotline_dispatch_rules"

    category: str = _text(32, primary_key=True)
    region: str = _text(6, primary_key=True)
    office: str = _text(32)
