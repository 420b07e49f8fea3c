"""Settings of the acceptance service."""

from __future__ import annotations

from onematter_kit.settings import ServiceSettings

__all__ = ["AcceptanceSettings"]


class AcceptanceSettings(ServiceSettings):
    service_name: str = "acceptance"
    database_url: str = "sqlite+aiosqlite:///./data/acceptance.db"
