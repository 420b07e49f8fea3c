"""Reading lists: the owner's locker and the owner's access log, one page at a time (newest first)."""

from __future__ import annotations

from dataclasses import dataclass

from onematter_kit.identity import Principal

from onematter_material.adapters.tables import AccessLogEntry, Material
from onematter_material.service_layer.unit_of_work import MaterialUnitOfWork

__all__ = ["ListAccessLog", "ListMaterials", "access_log", "list_materials"]


@dataclass(frozen=True, kw_only=True)
class ListMaterials:
    owner: Principal
    limit: int
    offset: int
    #: The batch read: only these of the owner's materials (an id that is not the owner's is absent).
    ids: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class ListAccessLog:
    owner: Principal
    limit: int
    offset: int


async def list_materials(query: ListMaterials, uow: MaterialUnitOfWork) -> tuple[list[Material], int]:
    """One page of the caller's own materials and how many there are; nobody lists another's locker and
    the owner's own reads are never logged."""
    async with uow:
        return await uow.materials.page(
            query.owner.subject, ids=query.ids, limit=query.limit, offset=query.offset
        )


async def access_log(query: ListAccessLog, uow: MaterialUnitOfWork) -> tuple[list[AccessLogEntry], int]:
    """Who read the owner's materials (every read but the owner's own), and clerks' uploads for them."""
    async with uow:
        return await uow.access_log.page(query.owner.subject, limit=query.limit, offset=query.offset)
