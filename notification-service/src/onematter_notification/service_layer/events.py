"""The event handler of the notification consumers: ``handler(event, uow)``, applied once per event id by
the kit's idempotent consumer, which opens the unit of work and commits the effect together with the
event's processed mark (so this handler never commits)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from onematter_events import EVENT_CATALOGUE, CloudEvent, matters
from onematter_events import applications as app
from onematter_events.delegations import SECRET_BEARING
from onematter_kit.consumer import EventHandler

from onematter_notification.adapters.catalog_names import CatalogNameSource
from onematter_notification.domain.names import catalog_names
from onematter_notification.domain.planner import digest_entry, plan
from onematter_notification.service_layer.digests import add_approval, close_application
from onematter_notification.service_layer.messages import store_drafts
from onematter_notification.service_layer.unit_of_work import NotificationUnitOfWork
from onematter_notification.service_layer.webhooks import fan_out

__all__ = ["handlers_for", "make_handler"]


def make_handler(
    *, channels: Collection[str], digest_window: timedelta, catalog: CatalogNameSource | None = None
) -> EventHandler:
    """One handler for every event type: catalog names, messages, digest entries and webhook deliveries.
    ``channels``: the configured copy channels; ``digest_window``: how long approvals are gathered;
    ``catalog``: asked for names not received yet."""

    async def handle(event: CloudEvent, uow: NotificationUnitOfWork) -> None:
        if event.type == matters.MATTER_PUBLISHED:
            await uow.names.remember(catalog_names(event.data), at=uow.clock.now())
        if event.type == app.APPLICATION_COMPLETED:
            await close_application(uow, event.data, channels=channels)  # digest first, then the result
        entry = digest_entry(event.type, event.data)
        if entry is not None:
            await add_approval(uow, event.data, entry, window=digest_window)
        drafts = plan(event.type, event.data)
        await store_drafts(uow, drafts, cause_id=event.id, channels=channels, catalog=catalog)
        if event.type not in SECRET_BEARING:  # a one-time code is for its applicant's inbox only
            await fan_out(uow, event)

    return handle


def handlers_for(producers: Collection[str], handler: EventHandler) -> dict[str, EventHandler]:
    """``handler`` for every catalogued event type produced by one of ``producers``."""
    return {spec.type: handler for spec in EVENT_CATALOGUE.values() if spec.producer in producers}
