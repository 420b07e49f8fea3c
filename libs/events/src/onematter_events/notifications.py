"""Events of the notification-service on the ``onematter.notifications`` stream. Key: the recipient."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from onematter_events.envelope import EventPayload

__all__ = ["NOTIFICATION_DELIVERED", "NOTIFICATION_FAILED", "SOURCE", "NotificationOutcome"]

SOURCE = "/onematter/notification"
NOTIFICATION_DELIVERED = "gov.onematter.notification.delivered"
NOTIFICATION_FAILED = "gov.onematter.notification.failed"


class NotificationOutcome(EventPayload):
    notification_id: str
    recipient: str
    channel: Literal["inbox", "email", "sms", "webhook"]
    cause_event_id: str | None = None
    attempts: int
    finished_at: datetime
    error: str | None = None
