"""FastAPI dependencies of the catalog's routes, as ``Annotated`` aliases named for their role."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from onematter_catalog.service_layer.unit_of_work import CatalogUnitOfWork

__all__ = ["Limit", "Offset", "UowDep"]


def _uow(request: Request) -> CatalogUnitOfWork:
    uow = request.app.state.runtime.uow()
    assert isinstance(uow, CatalogUnitOfWork)
    return uow


UowDep = Annotated[CatalogUnitOfWork, Depends(_uow)]
#: The pagination contract of every list: ``limit`` 1..100 (default 20), ``offset`` ≥ 0; else 422.
Limit = Annotated[int, Query(ge=1, le=100, description="Page size, at most 100")]
#: ``offset`` is bounded so a huge one is a 422, not a database integer overflow (500).
Offset = Annotated[int, Query(ge=0, le=2**31 - 1, description="How many to skip")]
