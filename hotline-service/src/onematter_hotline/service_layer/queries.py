"""Reads of the hotline that change nothing: one request, a page of requests."""

from __future__ import annotations

from onematter_hotline.domain.model import HotlineRequest, Status
from onematter_hotline.service_layer.unit_of_work import HotlineUnitOfWork

__all__ = ["one_request", "page_of_requests"]


async def one_request(request_id: str, uow: HotlineUnitOfWork) -> HotlineRequest | None:
    async with uow:
        return await uow.requests.get(request_id)


async def page_of_requests(
    uow: HotlineUnitOfWork, *, office: str | None, status: Status | None, limit: int, offset: int
) -> tuple[list[HotlineRequest], int]:
    """Requests newest first; ``office``: only that office's (an officer's queue)."""
    async with uow:
        return await uow.requests.page(
            office=office, status=status.value if status else None, limit=limit, offset=offset
        )
