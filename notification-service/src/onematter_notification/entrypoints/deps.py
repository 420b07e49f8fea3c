"""FastAPI dependencies of the notification service, as ``Annotated`` aliases that read as roles."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Query, Request
from onematter_kit.identity import Principal, Role
from onematter_kit.internal_auth import require_roles
from onematter_kit.runtime import ServiceRuntime

from onematter_notification.config import NotificationSettings
from onematter_notification.service_layer.signals import NotificationUnitOfWork

__all__ = ["DepartmentOperator", "Limit", "Offset", "RuntimeDep", "SettingsDep", "UowDep"]


def _runtime(request: Request) -> ServiceRuntime:
    return request.app.state.runtime  # type: ignore[no-any-return]


def _settings(request: Request) -> NotificationSettings:
    return request.app.state.runtime.settings  # type: ignore[no-any-return]


async def _uow(request: Request) -> AsyncIterator[NotificationUnitOfWork]:
    async with request.app.state.runtime.uow() as uow:
        yield uow


RuntimeDep = Annotated[ServiceRuntime, Depends(_runtime)]
SettingsDep = Annotated[NotificationSettings, Depends(_settings)]
UowDep = Annotated[NotificationUnitOfWork, Depends(_uow)]
#: An officer (for their own department) or an admin (for any) — who may manage webhook subscriptions.
DepartmentOperator = Annotated[Principal, require_roles(Role.officer, Role.admin)]
Limit = Annotated[int, Query(ge=1, le=100, description="Page size (max 100)")]
#: Bounded so a huge offset is a 422, not a database integer overflow (500).
Offset = Annotated[int, Query(ge=0, le=2**31 - 1)]
