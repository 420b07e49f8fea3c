"""Settings of the notification service."""

from __future__ import annotations

from onematter_kit.settings import ServiceSettings

__all__ = ["NotificationSettings"]


class NotificationSettings(ServiceSettings):
    service_name: str = "notification"
    database_url: str = "sqlite+aiosqlite:///./data/notification.db"
