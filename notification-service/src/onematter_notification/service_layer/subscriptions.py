"""Handlers of the webhook subscription routes: create (secret shown once), list, read, cancel, and the
delivery log. Rules in :mod:`onematter_notification.domain.subscriptions`."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from onematter_kit.errors import NotFoundError, ValidationProblem
from onematter_kit.identity import Principal, Role

from onematter_notification.adapters.ssrf import UnsafeCallbackUrl, check_callback_url
from onematter_notification.adapters.tables import Delivery, DeliveryAttempt, Subscription
from onematter_notification.domain.loopback import LoopbackReceiver
from onematter_notification.domain.subscriptions import new_secret, subscription_department, visible_to
from onematter_notification.service_layer.unit_of_work import NotificationUnitOfWork

__all__ = [
    "CreateSubscription",
    "cancel_subscription",
    "create_subscription",
    "get_subscription",
    "list_deliveries",
    "list_subscriptions",
]


@dataclass(frozen=True, kw_only=True)
class CreateSubscription:
    operator: Principal
    callback_url: str
    event_types: list[str]
    department: str | None


async def create_subscription(
    cmd: CreateSubscription,
    uow: NotificationUnitOfWork,
    *,
    allow_private: bool,
    loopback: Collection[LoopbackReceiver] = frozenset(),
) -> Subscription:
    """A new subscription with a fresh secret; 403 for another department, 422 for a callback URL that
    is not a public http(s) URL (SSRF; ``allow_private`` is the operator's exception for tests,
    ``loopback`` the receivers named for development)."""
    department = subscription_department(cmd.operator, cmd.department)
    try:
        await check_callback_url(cmd.callback_url, allow_private=allow_private, loopback=loopback)
    except UnsafeCallbackUrl as exc:
        raise ValidationProblem(
            "The callback URL is not allowed.", errors=[{"field": "callback_url", "message": str(exc)}]
        ) from None
    async with uow:
        subscription = Subscription(
            department=department,
            callback_url=cmd.callback_url,
            event_types=cmd.event_types,
            secret=new_secret(),
            created_by=cmd.operator.subject,
            created_at=uow.clock.now(),
        )
        uow.subscriptions.add(subscription)
        await uow.commit()
        return subscription


async def list_subscriptions(
    operator: Principal, uow: NotificationUnitOfWork, *, limit: int, offset: int
) -> tuple[list[Subscription], int]:
    """Those the operator may manage: an admin every one, an officer its department's; newest first."""
    every = operator.has(Role.admin)
    if not every and not operator.department:
        return [], 0  # an officer without a department manages nothing (as :func:`visible_to` says)
    async with uow:
        return await uow.subscriptions.page(
            department=operator.department,
            every_department=operator.has(Role.admin),
            limit=limit,
            offset=offset,
        )


async def _visible(uow: NotificationUnitOfWork, operator: Principal, subscription_id: str) -> Subscription:
    subscription = await uow.subscriptions.get(subscription_id)
    if subscription is None or not visible_to(operator, department=subscription.department):
        raise NotFoundError("No such subscription")
    return subscription


async def get_subscription(
    operator: Principal, subscription_id: str, uow: NotificationUnitOfWork
) -> Subscription:
    """404 for one the operator may not see, as for one that does not exist."""
    async with uow:
        return await _visible(uow, operator, subscription_id)


async def cancel_subscription(operator: Principal, subscription_id: str, uow: NotificationUnitOfWork) -> None:
    """Deactivate it: no new deliveries are queued; its delivery log stays readable."""
    async with uow:
        subscription = await _visible(uow, operator, subscription_id)
        subscription.active = False
        await uow.commit()


async def list_deliveries(
    operator: Principal, subscription_id: str, uow: NotificationUnitOfWork, *, limit: int, offset: int
) -> tuple[list[tuple[Delivery, list[DeliveryAttempt]]], int]:
    """A subscription's deliveries, newest first, each with its attempts in order."""
    async with uow:
        await _visible(uow, operator, subscription_id)
        rows, total = await uow.deliveries.page_for(subscription_id, limit=limit, offset=offset)
        attempts = await uow.deliveries.attempts_of([r.id for r in rows])
        return [(row, attempts.get(row.id, [])) for row in rows], total
