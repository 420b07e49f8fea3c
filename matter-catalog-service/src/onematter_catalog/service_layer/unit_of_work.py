"""The catalog's unit of work: the kit's SQL unit of work and the catalog repository."""

from __future__ import annotations

from typing import Self

from onematter_kit.unit_of_work import SqlUnitOfWork

from onematter_catalog.adapters.repository import CatalogRepository

__all__ = ["CatalogUnitOfWork"]


class CatalogUnitOfWork(SqlUnitOfWork):
    catalog: CatalogRepository

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.catalog = CatalogRepository(self.session)
        return self
