"""One way to page a list: the query parameters, the count-and-slice query, and the page schema.

Every list endpoint takes ``limit`` (1–100) and ``offset`` (0–2³¹−1; larger values were 500s on
PostgreSQL, found by fuzzing) and answers ``{"items": [...], "total": N, "limit": L, "offset": O}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["MAX_OFFSET", "Limit", "Offset", "Page", "fetch_page"]

T = TypeVar("T")

#: The largest offset PostgreSQL's ``OFFSET`` takes as a 32-bit integer here.
MAX_OFFSET = 2**31 - 1

Limit = Annotated[int, Query(ge=1, le=100, description="Page size, at most 100")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many to skip")]


class Page(BaseModel, Generic[T]):
    """A page of a list: ``items`` in the list's order, ``total`` matching rows before paging."""

    items: list[T]
    total: int
    limit: int
    offset: int


async def fetch_page(
    session: AsyncSession, statement: Select[*tuple[Any, ...]], *, limit: int, offset: int
) -> tuple[Sequence[Any], int]:
    """Run ``statement`` (already ordered) for one page; returns ``(rows, total)``.

    A single-entity select returns entities (``scalars``); a multi-column select returns rows.
    The count runs over the same statement without ordering, so filters cannot drift apart.
    """
    total = await session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    result = await session.execute(statement.limit(limit).offset(offset))
    rows = result.scalars().all() if len(statement.column_descriptions) == 1 else result.all()
    return rows, int(total or 0)
