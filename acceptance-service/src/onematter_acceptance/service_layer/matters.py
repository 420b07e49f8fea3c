"""The local copy of the catalog (consumer of ``matter.published`` / ``matter.retired``).

Every version is kept, so an application can always read the version it pinned. When a matter arrives,
the task topics of its departments are created (idempotent) before its first application dispatches.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from onematter_events import CloudEvent, parse_payload, task_topic
from onematter_events.matters import MATTER_PUBLISHED, MATTER_RETIRED, MatterPublished, MatterRetired
from onematter_kit.consumer import EventHandler
from sqlalchemy import update

from onematter_acceptance.adapters.tables import MatterCopy

__all__ = ["matter_handlers"]

TopicCreator = Callable[[list[str]], Awaitable[None]]


def matter_handlers(*, topic_prefix: str, create_topics: TopicCreator) -> dict[str, EventHandler]:
    async def on_published(event: CloudEvent, uow: Any) -> None:
        matter = parse_payload(event)
        assert isinstance(matter, MatterPublished)
        await create_topics(sorted({task_topic(i.department, topic_prefix) for i in matter.items}))
        row = await uow.session.get(MatterCopy, (matter.matter_code, matter.version))
        payload = matter.model_dump(mode="json")
        if row is None:
            uow.session.add(
                MatterCopy(matter_code=matter.matter_code, version=matter.version, payload=payload)
            )
        else:  # a republished version replaces its copy (the catalog is the source of truth)
            row.payload, row.retired = payload, False

    async def on_retired(event: CloudEvent, uow: Any) -> None:
        retired = parse_payload(event)
        assert isinstance(retired, MatterRetired)
        await uow.session.execute(
            update(MatterCopy).where(MatterCopy.matter_code == retired.matter_code).values(retired=True)
        )

    return {MATTER_PUBLISHED: on_published, MATTER_RETIRED: on_retired}
