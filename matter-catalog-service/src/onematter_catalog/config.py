"""Settings of the matter-catalog service."""

from __future__ import annotations

from onematter_kit.settings import ServiceSettings

__all__ = ["CatalogSettings"]


class CatalogSettings(ServiceSettings):
    service_name: str = "matter-catalog"
    database_url: str = "sqlite+aiosqlite:///./data/matter-catalog.db"
    #: Load and publish the first-batch key matters when the catalog is empty (SEED_ON_START).
    seed_on_start: bool = True
