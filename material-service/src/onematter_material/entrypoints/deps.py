"""FastAPI dependency aliases that read as roles: ``UowDep``, ``StoreDep``, ``Applicant``, ``Reader``…"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from onematter_kit.identity import Principal, Role
from onematter_kit.internal_auth import require_roles
from onematter_kit.runtime import ServiceRuntime

from onematter_material.adapters.blobstore import BlobStore
from onematter_material.adapters.delegation_client import DelegationClient
from onematter_material.config import MaterialSettings
from onematter_material.service_layer.unit_of_work import MaterialUnitOfWork

__all__ = [
    "Applicant",
    "DelegationsDep",
    "Officer",
    "Reader",
    "SettingsDep",
    "StoreDep",
    "UowDep",
    "Uploader",
]


def _runtime(request: Request) -> ServiceRuntime:
    return cast(ServiceRuntime, request.app.state.runtime)


def _uow(request: Request) -> MaterialUnitOfWork:
    uow = _runtime(request).uow()
    assert isinstance(uow, MaterialUnitOfWork)
    return uow


def _store(request: Request) -> BlobStore:
    return cast(BlobStore, _runtime(request).extras["blob_store"])


def _settings(request: Request) -> MaterialSettings:
    return cast(MaterialSettings, _runtime(request).settings)


def _delegations(request: Request) -> DelegationClient:
    return cast(DelegationClient, _runtime(request).extras["delegations"])


UowDep = Annotated[MaterialUnitOfWork, Depends(_uow)]
StoreDep = Annotated[BlobStore, Depends(_store)]
SettingsDep = Annotated[MaterialSettings, Depends(_settings)]
DelegationsDep = Annotated[DelegationClient, Depends(_delegations)]
#: The owner of a locker: applicants (individuals and enterprises) act on their own materials.
Applicant = Annotated[Principal, require_roles(Role.applicant)]
#: Who may upload: an applicant into its own locker; a delegate (a clerk, an agent) into the locker of an
#: applicant who granted it a delegation (帮办代办).
Uploader = Annotated[Principal, require_roles(Role.applicant, Role.clerk)]
#: Whoever may try to read a material: its owner, or an officer with a grant (checked per material).
Reader = Annotated[Principal, require_roles(Role.applicant, Role.officer)]
#: A department's officer: revokes or cancels the licences its department issued (checked per licence).
Officer = Annotated[Principal, require_roles(Role.officer)]
