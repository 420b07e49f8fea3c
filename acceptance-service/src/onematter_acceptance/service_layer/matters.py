"""The local copy of the catalog (consumer of ``matter.published`` / ``matter.retired``).

Every version is kept, so an application can always read the version it pinned. When a matter arrives,
the task topics of its departments are created (idempotent) before its first application dispatches.
The consumer enters and commits the unit of work around each handler.

``known_matter`` does not wait for the consumer: a matter missing from the local copy is asked of the
catalog itself (ready means ready: the first submission after a fresh start must not meet an empty copy).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from onematter_events import CloudEvent, parse_payload, task_topic
from onematter_events.matters import MATTER_PUBLISHED, MATTER_RETIRED, MatterPublished, MatterRetired
from onematter_kit.consumer import EventHandler
from onematter_kit.identity import Principal

from onematter_acceptance.adapters.catalog_client import CatalogClient
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["known_matter", "matter_handlers"]

TopicCreator = Callable[[list[str]], Awaitable[None]]


def matter_handlers(*, topic_prefix: str, create_topics: TopicCreator) -> dict[str, EventHandler]:
    async def on_published(event: CloudEvent, uow: Any) -> None:
        matter = parse_payload(event)
        assert isinstance(matter, MatterPublished)
        await create_topics(sorted({task_topic(i.department, topic_prefix) for i in matter.items}))
        await uow.matters.save(matter, received_at=uow.clock.now())

    async def on_retired(event: CloudEvent, uow: Any) -> None:
        retired = parse_payload(event)
        assert isinstance(retired, MatterRetired)
        await uow.matters.retire(retired.matter_code)

    return {MATTER_PUBLISHED: on_published, MATTER_RETIRED: on_retired}


async def known_matter(
    uow: AcceptanceUnitOfWork, code: str, *, caller: Principal, catalog: CatalogClient | None
) -> MatterPublished | None:
    """The current version of ``code`` that takes applications: from the local copy, else from the catalog
    (kept in the local copy, as the consumer would keep it); ``None`` if neither knows it."""
    async with uow:
        matter = await uow.matters.current(code)
    if matter is not None or catalog is None:
        return matter
    matter = await catalog.published(code, caller=caller)
    if matter is not None:
        async with uow:
            await uow.matters.save(matter, received_at=uow.clock.now())
            await uow.commit()
    return matter
