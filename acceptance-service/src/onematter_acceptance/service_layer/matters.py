"""The local copy of the catalog (consumer of ``matter.published`` / ``matter.retired``).

Every version is kept, so an application can always read the version it pinned. When a matter arrives,
the task topics of its departments are created (idempotent) before its first application dispatches.
The consumer enters and commits the unit of work around each handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from onematter_events import CloudEvent, parse_payload, task_topic
from onematter_events.matters import MATTER_PUBLISHED, MATTER_RETIRED, MatterPublished, MatterRetired
from onematter_kit.consumer import EventHandler

__all__ = ["matter_handlers"]

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
