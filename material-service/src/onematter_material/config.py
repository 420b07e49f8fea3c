"""Settings of the material service."""

from __future__ import annotations

from onematter_kit.settings import ServiceSettings

__all__ = ["MaterialSettings"]


class MaterialSettings(ServiceSettings):
    service_name: str = "material"
    database_url: str = "sqlite+aiosqlite:///./data/material.db"
