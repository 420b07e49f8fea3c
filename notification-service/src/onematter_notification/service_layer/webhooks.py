"""Webhook subscriptions: fan an event out to the subscriptions that want it, and create them safely."""

from __future__ import annotations

import secrets

from onematter_events import CloudEvent
from sqlalchemy import or_, select

from onematter_notification.adapters.tables import Delivery, Subscription
from onematter_notification.domain.planner import departments_of
from onematter_notification.service_layer.signals import NotificationUnitOfWork

__all__ = ["fan_out", "new_secret"]


def new_secret() -> str:
    """32 random bytes, shown to the subscriber once and kept only for signing."""
    return "whsec_" + secrets.token_hex(32)


async def fan_out(uow: NotificationUnitOfWork, event: CloudEvent) -> int:
    """Queue one delivery per active subscription that wants ``event``; the body is the CloudEvent itself.

    A subscription wants an event when it lists the type and the event concerns its department (admin
    subscriptions without a department get every department's events). At most one delivery exists per
    (subscription, event id), so a replayed event never calls a receiver twice.
    """
    departments = departments_of(event.data)
    query = select(Subscription).where(Subscription.active.is_(True))  # type: ignore[attr-defined]
    query = query.where(
        or_(
            Subscription.department.is_(None),  # type: ignore[union-attr]
            Subscription.department.in_(departments),
        )
    )  # type: ignore[union-attr]
    body = event.to_bytes().decode()
    queued = 0
    for subscription in (await uow.session.execute(query)).scalars():
        if event.type not in subscription.event_types:
            continue
        exists = await uow.session.execute(
            select(Delivery.id).where(
                Delivery.channel == "webhook",
                Delivery.target_key == subscription.id,
                Delivery.cause_id == event.id,
            )
        )
        if exists.first() is not None:
            continue
        uow.session.add(
            Delivery(
                channel="webhook",
                target_key=subscription.id,
                cause_id=event.id,
                event_type=event.type,
                subscription_id=subscription.id,
                address=subscription.callback_url,
                payload=body,
            )
        )
        uow.delivery_added()
        queued += 1
    return queued
