"""Webhook subscriptions of departments: create (secret shown once), list, read, cancel, delivery log."""

from __future__ import annotations

from fastapi import APIRouter, status
from onematter_kit.paging import Limit, Offset, Page

from onematter_notification.entrypoints.deps import DepartmentOperator, SettingsDep, UowDep
from onematter_notification.entrypoints.schemas import (
    AttemptPublic,
    DeliveryPublic,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionPublic,
)
from onematter_notification.service_layer import subscriptions as handlers

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/subscriptions", tags=["webhooks"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SubscriptionCreated,
    summary="Subscribe a callback URL to a department's events",
)
async def create_subscription(
    body: SubscriptionCreate, principal: DepartmentOperator, uow: UowDep, settings: SettingsDep
) -> SubscriptionCreated:
    """The response carries the signing secret; it is never shown again."""
    command = handlers.CreateSubscription(
        operator=principal,
        callback_url=body.callback_url,
        event_types=body.event_types,
        department=body.department,
    )
    subscription = await handlers.create_subscription(
        command,
        uow,
        allow_private=settings.webhook_allow_private_networks,
        loopback=settings.webhook_loopback_receivers,
    )
    return SubscriptionCreated.model_validate(subscription)


@router.get("", response_model=Page[SubscriptionPublic], summary="Subscriptions the caller may manage")
async def list_subscriptions(
    principal: DepartmentOperator, uow: UowDep, limit: Limit = 20, offset: Offset = 0
) -> Page[SubscriptionPublic]:
    rows, total = await handlers.list_subscriptions(principal, uow, limit=limit, offset=offset)
    return Page(
        items=[SubscriptionPublic.model_validate(r) for r in rows], total=total, limit=limit, offset=offset
    )


@router.get("/{subscription_id}", response_model=SubscriptionPublic, summary="One subscription")
async def get_subscription(
    subscription_id: str, principal: DepartmentOperator, uow: UowDep
) -> SubscriptionPublic:
    return SubscriptionPublic.model_validate(await handlers.get_subscription(principal, subscription_id, uow))


@router.delete("/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Stop a subscription")
async def delete_subscription(subscription_id: str, principal: DepartmentOperator, uow: UowDep) -> None:
    """Deactivates it: no new deliveries are queued; its delivery log stays readable."""
    await handlers.cancel_subscription(principal, subscription_id, uow)


@router.get(
    "/{subscription_id}/deliveries",
    response_model=Page[DeliveryPublic],
    summary="Deliveries of a subscription with every attempt, newest first",
)
async def list_deliveries(
    subscription_id: str, principal: DepartmentOperator, uow: UowDep, limit: Limit = 20, offset: Offset = 0
) -> Page[DeliveryPublic]:
    rows, total = await handlers.list_deliveries(principal, subscription_id, uow, limit=limit, offset=offset)
    items = [
        DeliveryPublic.of(row, [AttemptPublic.model_validate(a) for a in attempts]) for row, attempts in rows
    ]
    return Page(items=items, total=total, limit=limit, offset=offset)
