"""FastAPI dependencies of the hotline's routes, as ``Annotated`` aliases named for their role."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from onematter_kit.errors import ForbiddenError
from onematter_kit.identity import Principal, Role
from onematter_kit.internal_auth import CurrentPrincipal

from onematter_hotline.service_layer.unit_of_work import HotlineUnitOfWork

__all__ = ["Collaborators", "Staff", "UowDep", "office_of"]


def _uow(request: Request) -> HotlineUnitOfWork:
    uow = request.app.state.runtime.uow()
    assert isinstance(uow, HotlineUnitOfWork)
    return uow


def _collaborators(request: Request) -> dict[str, Any]:
    extras: dict[str, Any] = request.app.state.runtime.extras
    return extras


UowDep = Annotated[HotlineUnitOfWork, Depends(_uow)]
#: ``segmenter``, ``calendar`` and ``threshold``, built once by the composition root.
Collaborators = Annotated[dict[str, Any], Depends(_collaborators)]
#: Who sees callers unmasked: the hotline's own seats and the supervisor.
Staff = (Role.hotline_operator, Role.hotline_dispatcher, Role.supervisor)


def office_of(principal: Principal) -> str:
    """The officer's office (department code); 403 for anyone else."""
    if not principal.has(Role.officer) or not principal.department:
        raise ForbiddenError("Only an officer of the office acts on its requests.")
    return principal.department


__all__ += ["CurrentPrincipal"]
