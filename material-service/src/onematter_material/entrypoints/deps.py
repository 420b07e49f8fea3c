"""FastAPI dependency aliases that read as roles: ``UowDep``, ``StoreDep``, ``Applicant``, ``PageDep``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from onematter_kit.identity import Principal, Role
from onematter_kit.internal_auth import require_roles
from onematter_kit.runtime import ServiceRuntime
from onematter_kit.unit_of_work import SqlUnitOfWork

from onematter_material.adapters.blobstore import BlobStore
from onematter_material.config import MaterialSettings

__all__ = ["Applicant", "PageDep", "PageParams", "Reader", "SettingsDep", "StoreDep", "UowDep", "Uploader"]


def _runtime(request: Request) -> ServiceRuntime:
    return request.app.state.runtime


def _uow(request: Request) -> SqlUnitOfWork:
    return _runtime(request).uow()


def _store(request: Request) -> BlobStore:
    return _runtime(request).extras["blob_store"]


def _settings(request: Request) -> MaterialSettings:
    return _runtime(request).settings


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


def _page(
    limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0
) -> PageParams:
    """``offset`` is bounded so a huge one is a 422, not a database integer overflow (500)."""
    return PageParams(limit=limit, offset=offset)


UowDep = Annotated[SqlUnitOfWork, Depends(_uow)]
StoreDep = Annotated[BlobStore, Depends(_store)]
SettingsDep = Annotated[MaterialSettings, Depends(_settings)]
PageDep = Annotated[PageParams, Depends(_page)]
#: The owner of a locker: applicants (individuals and enterprises) act on their own materials.
Applicant = Annotated[Principal, require_roles(Role.applicant)]
#: Who may upload: an applicant into its own locker, a window clerk into the locker it names (帮办代办).
Uploader = Annotated[Principal, require_roles(Role.applicant, Role.clerk)]
#: Whoever may try to read a material: its owner, or an officer with a grant (checked per material).
Reader = Annotated[Principal, require_roles(Role.applicant, Role.officer)]
