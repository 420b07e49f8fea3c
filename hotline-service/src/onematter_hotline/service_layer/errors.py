"""Turning the domain's refusals into the kit's problems (409), and finding a request or 404."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from onematter_kit.errors import ConflictError, NotFoundError

from onematter_hotline.domain.model import HotlineRequest, RequestRuleBroken
from onematter_hotline.service_layer.unit_of_work import HotlineUnitOfWork

__all__ = ["load", "rules_as_conflicts"]


@contextmanager
def rules_as_conflicts() -> Iterator[None]:
    try:
        yield
    except RequestRuleBroken as exc:
        raise ConflictError(str(exc)) from exc


async def load(uow: HotlineUnitOfWork, request_id: str) -> HotlineRequest:
    """The request, locked for this unit of work; :class:`NotFoundError` if there is none."""
    request = await uow.requests.get(request_id, for_update=True)
    if request is None:
        raise NotFoundError("No such hotline request.")
    return request
