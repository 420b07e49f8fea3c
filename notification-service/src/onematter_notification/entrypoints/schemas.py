"""The HTTP contract of the notification service, separate from the tables.

Instants are ``ChinaTime``: RFC 3339 with ``+08:00`` (issue 15)."""

from __future__ import annotations

import re
from typing import Literal

from onematter_events import EVENT_CATALOGUE
from onematter_kit.clock import ChinaTime
from onematter_kit.paging import Page
from pydantic import BaseModel, ConfigDict, Field, field_validator

from onematter_notification.adapters.tables import Delivery

__all__ = [
    "AttemptPublic",
    "DeliveryPublic",
    "MessagePublic",
    "NotificationPage",
    "ProfilePublic",
    "ProfileUpdate",
    "SubscriptionCreate",
    "SubscriptionCreated",
    "SubscriptionPublic",
]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")


class MessagePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    #: The inbox order and the SSE event id.
    seq: int
    recipient: str
    kind: str
    locale: str
    subject: str
    body: str
    application_id: str | None
    created_at: ChinaTime
    read_at: ChinaTime | None
    #: Inbox messages are delivered when written; email/SMS copies have their own delivery records.
    status: Literal["delivered"] = "delivered"


class NotificationPage(Page[MessagePublic]):
    unread: int


class ProfilePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    subject: str
    email: str | None
    phone: str | None
    locale: str


class ProfileUpdate(BaseModel):
    """Fields left out keep their value; ``null`` clears email or phone."""

    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(default=None, max_length=320)
    phone: str | None = None
    locale: Literal["zh-CN", "en"] | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
            raise ValueError("not an email address")
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not _PHONE.match(value.replace(" ", "")):
            raise ValueError("not a phone number (digits, optionally with a leading +)")
        return value.replace(" ", "") if value else value


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    callback_url: str = Field(max_length=2000)
    event_types: list[str] = Field(min_length=1, max_length=len(EVENT_CATALOGUE))
    #: Officers may omit it (their own department); admins may omit it for every department.
    department: str | None = None

    @field_validator("event_types")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = [t for t in value if t not in EVENT_CATALOGUE]
        if unknown:
            raise ValueError(f"unknown event types: {', '.join(unknown)}")
        return sorted(set(value))


class SubscriptionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    department: str | None
    callback_url: str
    event_types: list[str]
    created_by: str
    created_at: ChinaTime
    active: bool


class SubscriptionCreated(SubscriptionPublic):
    #: Shown only in this response: keep it to verify ``X-OneMatter-Signature``.
    secret: str


class AttemptPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    attempted_at: ChinaTime
    ok: bool
    status_code: int | None
    error: str | None
    duration_ms: int


class DeliveryPublic(BaseModel):
    id: str
    event_id: str
    event_type: str | None
    status: str
    attempts: int
    next_attempt_at: ChinaTime | None
    last_error: str | None
    created_at: ChinaTime
    finished_at: ChinaTime | None
    attempt_log: list[AttemptPublic]

    @classmethod
    def of(cls, row: Delivery, attempts: list[AttemptPublic]) -> DeliveryPublic:
        """A delivery as its subscriber sees it: the event it carries, and when it is tried next."""
        return cls(
            id=row.id,
            event_id=row.cause_id,
            event_type=row.event_type,
            status=row.status,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at if row.status == "pending" else None,
            last_error=row.last_error,
            created_at=row.created_at,
            finished_at=row.finished_at,
            attempt_log=attempts,
        )
