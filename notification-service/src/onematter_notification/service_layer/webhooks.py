"""Fanning an event out to the webhook subscriptions that want it."""

from __future__ import annotations

from onematter_events import CloudEvent

from onematter_notification.adapters.tables import Delivery
from onematter_notification.domain.planner import departments_of
from onematter_notification.service_layer.unit_of_work import NotificationUnitOfWork

__all__ = ["fan_out"]


async def fan_out(uow: NotificationUnitOfWork, event: CloudEvent) -> int:
    """Queue one delivery per active subscription that wants ``event``; the body is the CloudEvent itself.

    A subscription wants an event when it lists the type and the event concerns its department (admin
    subscriptions without a department get every department's events). At most one delivery exists per
    (subscription, event id), so a replayed event never calls a receiver twice. Returns how many queued.
    """
    body, now, queued = event.to_bytes().decode(), uow.clock.now(), 0
    for subscription in await uow.subscriptions.active_for(departments_of(event.data)):
        if event.type not in subscription.event_types or await uow.deliveries.exists(
            channel="webhook", target_key=subscription.id, cause_id=event.id
        ):
            continue
        uow.deliveries.add(
            Delivery(
                channel="webhook",
                target_key=subscription.id,
                cause_id=event.id,
                event_type=event.type,
                subscription_id=subscription.id,
                address=subscription.callback_url,
                payload=body,
                next_attempt_at=now,
                created_at=now,
            )
        )
        uow.delivery_added()
        queued += 1
    return queued
