"""FastAPI dependencies of the notification service, as ``Annotated`` aliases that read as roles."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from onematter_kit.identity import Principal, Role
from onematter_kit.internal_auth import require_roles
from onematter_kit.runtime import ServiceRuntime

from onematter_notification.config import NotificationSettings
from onematter_notification.domain.streams import StreamSlots
from onematter_notification.service_layer.signals import Signals
from onematter_notification.service_layer.unit_of_work import NotificationUnitOfWork

__all__ = [
    "DepartmentOperator",
    "RuntimeDep",
    "SettingsDep",
    "SignalsDep",
    "StreamSlotsDep",
    "UowDep",
    "new_uow",
]


def _runtime(request: Request) -> ServiceRuntime:
    return cast(ServiceRuntime, request.app.state.runtime)


def new_uow(runtime: ServiceRuntime) -> NotificationUnitOfWork:
    """A fresh unit of work of the app (handlers enter and commit it themselves)."""
    uow = runtime.uow()
    assert isinstance(uow, NotificationUnitOfWork)
    return uow


def _uow(request: Request) -> NotificationUnitOfWork:
    return new_uow(_runtime(request))


def _settings(request: Request) -> NotificationSettings:
    return cast(NotificationSettings, _runtime(request).settings)


def _signals(request: Request) -> Signals:
    return cast(Signals, _runtime(request).extras["signals"])


def _stream_slots(request: Request) -> StreamSlots:
    return cast(StreamSlots, _runtime(request).extras["stream_slots"])


RuntimeDep = Annotated[ServiceRuntime, Depends(_runtime)]
SettingsDep = Annotated[NotificationSettings, Depends(_settings)]
SignalsDep = Annotated[Signals, Depends(_signals)]
StreamSlotsDep = Annotated[StreamSlots, Depends(_stream_slots)]
UowDep = Annotated[NotificationUnitOfWork, Depends(_uow)]
#: An officer (for their own department) or an admin (for any) — who may manage webhook subscriptions.
DepartmentOperator = Annotated[Principal, require_roles(Role.officer, Role.admin)]
