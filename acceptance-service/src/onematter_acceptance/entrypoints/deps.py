"""FastAPI dependencies of the acceptance routes, as ``Annotated`` aliases named for their role."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.service_layer.collaborators import Collaborators
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["CalendarDep", "CollaboratorsDep", "UowDep"]


def _uow(request: Request) -> AcceptanceUnitOfWork:
    """A new unit of work for this request; the handler enters and commits it."""
    uow = request.app.state.runtime.uow()
    assert isinstance(uow, AcceptanceUnitOfWork)
    return uow


def _collaborators(request: Request) -> Collaborators:
    collaborators: Collaborators = request.app.state.runtime.extras["collaborators"]
    return collaborators


def _calendar(collaborators: Annotated[Collaborators, Depends(_collaborators)]) -> WorkCalendar:
    """The calendar as it is now (the overdue worker may have reloaded the operator's file)."""
    return collaborators.calendar


UowDep = Annotated[AcceptanceUnitOfWork, Depends(_uow)]
CollaboratorsDep = Annotated[Collaborators, Depends(_collaborators)]
CalendarDep = Annotated[WorkCalendar, Depends(_calendar)]
