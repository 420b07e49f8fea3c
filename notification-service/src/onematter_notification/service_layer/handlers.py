"""Event handlers of the notification consumers: ``handler(event, uow)``, applied once per event id by
the kit's idempotent consumer (the effect and the processed-event row commit together)."""

from __future__ import annotations

from collections.abc import Collection

from onematter_events import EVENT_CATALOGUE, CloudEvent, matters
from onematter_events import applications as app
from onematter_kit.consumer import EventHandler

from onematter_notification.domain.planner import digest_entry, plan
from onematter_notification.service_layer.digests import add_approval, close_application
from onematter_notification.service_layer.messages import store_drafts
from onematter_notification.service_layer.names import remember_names
from onematter_notification.service_layer.signals import NotificationUnitOfWork
from onematter_notification.service_layer.webhooks import fan_out

__all__ = ["handlers_for", "make_handler"]


def make_handler(*, channels: Collection[str], digest_window: float) -> EventHandler:
    """One handler for every event type: catalog names, messages, digest entries, and webhook deliveries."""

    async def handle(event: CloudEvent, uow: NotificationUnitOfWork) -> None:
        if event.type == matters.MATTER_PUBLISHED:
            await remember_names(uow, event.data)
        if event.type == app.APPLICATION_COMPLETED:
            await close_application(uow, event.data, channels=channels)  # digest first, then the result
        entry = digest_entry(event.type, event.data)
        if entry is not None:
            await add_approval(uow, event.data, entry, window=digest_window)
        await store_drafts(uow, plan(event.type, event.data), cause_id=event.id, channels=channels)
        await fan_out(uow, event)

    return handle


def handlers_for(producers: Collection[str], handler: EventHandler) -> dict[str, EventHandler]:
    """``handler`` for every catalogued event type produced by one of ``producers``."""
    return {spec.type: handler for spec in EVENT_CATALOGUE.values() if spec.producer in producers}
