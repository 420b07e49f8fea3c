"""Webhook subscriptions of departments: create (secret shown once), list, read, cancel, delivery log."""

from __future__ import annotations

from fastapi import APIRouter, status
from onematter_kit.errors import ForbiddenError, NotFoundError, ValidationProblem
from onematter_kit.identity import Principal, Role
from sqlalchemy import func, select

from onematter_notification.adapters.ssrf import UnsafeCallbackUrl, check_callback_url
from onematter_notification.adapters.tables import Delivery, DeliveryAttempt, Subscription
from onematter_notification.entrypoints.deps import DepartmentOperator, Limit, Offset, SettingsDep, UowDep
from onematter_notification.entrypoints.schemas import (
    AttemptPublic,
    DeliveryPublic,
    Page,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionPublic,
)
from onematter_notification.service_layer.signals import NotificationUnitOfWork
from onematter_notification.service_layer.webhooks import new_secret

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/subscriptions", tags=["webhooks"])


def _department_for(principal: Principal, requested: str | None) -> str | None:
    """Admins choose any department (or none = all); officers only their own."""
    if principal.has(Role.admin):
        return requested
    if not principal.department:
        raise ForbiddenError("Only an officer of a department may subscribe to its events.")
    if requested not in (None, principal.department):
        raise ForbiddenError("Officers may subscribe only to their own department's events.")
    return principal.department


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
    department = _department_for(principal, body.department)
    try:
        await check_callback_url(body.callback_url, allow_private=settings.webhook_allow_private_networks)
    except UnsafeCallbackUrl as exc:
        raise ValidationProblem(
            "The callback URL is not allowed.", errors=[{"field": "callback_url", "message": str(exc)}]
        ) from None
    subscription = Subscription(
        department=department,
        callback_url=body.callback_url,
        event_types=body.event_types,
        secret=new_secret(),
        created_by=principal.subject,
    )
    uow.session.add(subscription)
    await uow.commit()
    return SubscriptionCreated.model_validate(subscription, from_attributes=True)


@router.get("", response_model=Page[SubscriptionPublic], summary="Subscriptions the caller may manage")
async def list_subscriptions(
    principal: DepartmentOperator, uow: UowDep, limit: Limit = 20, offset: Offset = 0
) -> Page[SubscriptionPublic]:
    query = select(Subscription)
    if not principal.has(Role.admin):
        query = query.where(Subscription.department == principal.department)
    total = (await uow.session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = (
        await uow.session.execute(
            query.order_by(Subscription.created_at.desc())  # type: ignore[attr-defined]
            .limit(limit)
            .offset(offset)
        )
    ).scalars()
    return Page(
        items=[SubscriptionPublic.model_validate(r) for r in rows], total=total, limit=limit, offset=offset
    )


async def _visible(uow: NotificationUnitOfWork, principal: Principal, subscription_id: str) -> Subscription:
    subscription = await uow.session.get(Subscription, subscription_id)
    if subscription is None or not (
        principal.has(Role.admin) or subscription.department == principal.department
    ):
        raise NotFoundError("No such subscription")
    return subscription


@router.get("/{subscription_id}", response_model=SubscriptionPublic, summary="One subscription")
async def get_subscription(
    subscription_id: str, principal: DepartmentOperator, uow: UowDep
) -> SubscriptionPublic:
    return SubscriptionPublic.model_validate(await _visible(uow, principal, subscription_id))


@router.delete("/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Stop a subscription")
async def delete_subscription(subscription_id: str, principal: DepartmentOperator, uow: UowDep) -> None:
    """Deactivates it: no new deliveries are queued; its delivery log stays readable."""
    subscription = await _visible(uow, principal, subscription_id)
    subscription.active = False
    await uow.commit()


@router.get(
    "/{subscription_id}/deliveries",
    response_model=Page[DeliveryPublic],
    summary="Deliveries of a subscription with every attempt, newest first",
)
async def list_deliveries(
    subscription_id: str, principal: DepartmentOperator, uow: UowDep, limit: Limit = 20, offset: Offset = 0
) -> Page[DeliveryPublic]:
    await _visible(uow, principal, subscription_id)
    mine = Delivery.subscription_id == subscription_id
    total = (await uow.session.execute(select(func.count()).select_from(Delivery).where(mine))).scalar_one()
    rows = list(
        (
            await uow.session.execute(
                select(Delivery).where(mine).order_by(Delivery.created_at.desc()).limit(limit).offset(offset)
            )
        ).scalars()
    )  # type: ignore[attr-defined]
    attempts = (
        await uow.session.execute(
            select(DeliveryAttempt)
            .where(DeliveryAttempt.delivery_id.in_([r.id for r in rows]))
            .order_by(DeliveryAttempt.number)
        )
    ).scalars()  # type: ignore[attr-defined]
    by_delivery: dict[str, list[AttemptPublic]] = {}
    for attempt in attempts:
        by_delivery.setdefault(attempt.delivery_id, []).append(AttemptPublic.model_validate(attempt))
    items = [
        DeliveryPublic(
            id=r.id,
            event_id=r.cause_id,
            event_type=r.event_type,
            status=r.status,
            attempts=r.attempts,
            next_attempt_at=r.next_attempt_at if r.status == "pending" else None,
            last_error=r.last_error,
            created_at=r.created_at,
            finished_at=r.finished_at,
            attempt_log=by_delivery.get(r.id, []),
        )
        for r in rows
    ]
    return Page(items=items, total=total, limit=limit, offset=offset)
