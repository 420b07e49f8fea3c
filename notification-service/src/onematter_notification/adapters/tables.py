"""The notification service's tables (all prefixed ``notification_``). Alembic reads ``metadata``.

Instants are ``UtcDateTime`` columns (aware on every database) without defaults: the repositories and
handlers stamp them from the unit of work's clock."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from onematter_kit.commit_order import xact_id_column
from onematter_kit.tables import OutboxMessage, ProcessedEvent, UtcDateTime
from sqlalchemy import JSON, BigInteger, Column, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = [
    "CatalogName",
    "Delivery",
    "DeliveryAttempt",
    "Digest",
    "Message",
    "OutboxMessage",
    "ProcessedEvent",
    "Profile",
    "Subscription",
    "metadata",
    "new_id",
]

metadata = SQLModel.metadata


def new_id() -> str:
    return str(uuid.uuid4())


def _ts(nullable: bool = False) -> Any:
    return Column(UtcDateTime(), nullable=nullable)


class Message(SQLModel, table=True):
    """One inbox message. ``seq`` is the SSE event id (Last-Event-ID resumes on it); streams read in
    ``(xact_id, seq)`` order, ``xact_id`` being the writing transaction's id (PostgreSQL sets it, NULL on
    SQLite; see :mod:`onematter_kit.commit_order`)."""

    __tablename__ = "notification_messages"
    __table_args__ = (
        Index("ix_notification_messages_recipient_seq", "recipient", "seq"),
        Index("ix_notification_messages_recipient_order", "recipient", "xact_id", "seq"),
        UniqueConstraint("cause_id", "recipient", "kind", name="uq_notification_messages_cause"),
    )

    seq: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    id: str = Field(default_factory=new_id, sa_column=Column(String(36), nullable=False, unique=True))
    recipient: str = Field(sa_column=Column(String(200), nullable=False))
    kind: str = Field(sa_column=Column(String(64), nullable=False))
    locale: str = Field(sa_column=Column(String(8), nullable=False))
    subject: str = Field(sa_column=Column(Text, nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    application_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True, index=True))
    #: The event (or digest) that caused it; unique with recipient and kind,
    #: so a replayed cause makes no second message.
    cause_id: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: datetime = Field(sa_column=_ts())
    read_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    xact_id: int | None = Field(default=None, sa_column=xact_id_column())


class Profile(SQLModel, table=True):
    __tablename__ = "notification_profiles"

    subject: str = Field(sa_column=Column(String(200), primary_key=True))
    email: str | None = Field(default=None, sa_column=Column(String(320), nullable=True))
    phone: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    locale: str = Field(default="zh-CN", sa_column=Column(String(8), nullable=False))
    updated_at: datetime = Field(sa_column=_ts())


class Digest(SQLModel, table=True):
    """Approvals of one application waiting to become one message; open while ``flushed_at`` is null."""

    __tablename__ = "notification_digests"
    __table_args__ = (Index("ix_notification_digests_due", "flushed_at", "due_at"),)

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    application_id: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    acceptance_number: str = Field(sa_column=Column(String(64), nullable=False))
    applicant_id: str = Field(sa_column=Column(String(200), nullable=False))
    entries: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    due_at: datetime = Field(sa_column=_ts())
    created_at: datetime = Field(sa_column=_ts())
    flushed_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    #: The application completed: later approvals are absorbed by the completion message.
    closed: bool = Field(default=False)


class Subscription(SQLModel, table=True):
    """A webhook: a department's (or, for admins, every department's) events of some types, POSTed signed."""

    __tablename__ = "notification_subscriptions"

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    #: None = every department (admin subscriptions only).
    department: str | None = Field(default=None, sa_column=Column(String(64), nullable=True, index=True))
    callback_url: str = Field(sa_column=Column(Text, nullable=False))
    event_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    secret: str = Field(sa_column=Column(String(128), nullable=False))
    created_by: str = Field(sa_column=Column(String(200), nullable=False))
    created_at: datetime = Field(sa_column=_ts())
    active: bool = Field(default=True)


class Delivery(SQLModel, table=True):
    """One thing to hand to one channel (email, sms, webhook), with its retry state."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (
        Index("ix_notification_deliveries_due", "status", "next_attempt_at"),
        UniqueConstraint("channel", "target_key", "cause_id", name="uq_notification_deliveries_cause"),
    )

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    channel: str = Field(sa_column=Column(String(16), nullable=False))
    #: The subscription id (webhook) or the recipient inbox (email, sms).
    target_key: str = Field(sa_column=Column(String(200), nullable=False))
    #: The CloudEvent id (webhook) or message id (email, sms) this delivery carries.
    cause_id: str = Field(sa_column=Column(String(64), nullable=False))
    event_type: str | None = Field(default=None, sa_column=Column(String(128), nullable=True))
    message_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))
    subscription_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True, index=True))
    address: str = Field(sa_column=Column(Text, nullable=False))
    payload: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", sa_column=Column(String(16), nullable=False))
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(sa_column=_ts())
    first_attempt_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(sa_column=_ts())
    finished_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class DeliveryAttempt(SQLModel, table=True):
    __tablename__ = "notification_delivery_attempts"

    id: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    delivery_id: str = Field(sa_column=Column(String(36), nullable=False, index=True))
    number: int
    attempted_at: datetime = Field(sa_column=_ts())
    ok: bool
    status_code: int | None = None
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    duration_ms: int = 0


class CatalogName(SQLModel, table=True):
    """The local copy of catalog names (from ``matter.published``), so messages show names, not codes.

    ``kind`` is ``matter``, ``item``, ``material`` (also licence types) or ``department``."""

    __tablename__ = "notification_catalog_names"

    kind: str = Field(sa_column=Column(String(16), primary_key=True))
    code: str = Field(sa_column=Column(String(128), primary_key=True))
    name_zh: str = Field(sa_column=Column(Text, nullable=False))
    name_en: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(sa_column=_ts())
