"""FastAPI dependencies of the catalog's routes, as ``Annotated`` aliases named for their role."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from onematter_catalog.service_layer.unit_of_work import CatalogUnitOfWork

__all__ = ["UowDep"]


def _uow(request: Request) -> CatalogUnitOfWork:
    uow = request.app.state.runtime.uow()
    assert isinstance(uow, CatalogUnitOfWork)
    return uow


UowDep = Annotated[CatalogUnitOfWork, Depends(_uow)]
