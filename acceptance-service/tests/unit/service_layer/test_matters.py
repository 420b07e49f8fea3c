"""The local catalog copy: published versions are kept, a retired matter takes no applications."""

from __future__ import annotations

from acceptance_testing import newborn_matter, published_event
from onematter_acceptance.service_layer.matters import matter_handlers
from onematter_events import new_event
from onematter_events.matters import MATTER_PUBLISHED, MATTER_RETIRED, MatterRetired


async def test_a_published_matter_is_kept_with_its_task_topics_created_and_a_retired_one_stops(uow):
    created: list[list[str]] = []

    async def create_topics(names: list[str]) -> None:
        created.append(names)

    handlers = matter_handlers(topic_prefix="t.", create_topics=create_topics)
    second = newborn_matter(version=2)

    await handlers[MATTER_PUBLISHED](published_event(second), uow)
    current = await uow.matters.current("newborn-birth")
    retired = MatterRetired(matter_code="newborn-birth", version=2, retired_at=uow.clock.now())
    await handlers[MATTER_RETIRED](new_event(MATTER_RETIRED, retired), uow)

    assert current is not None and current.version == 2
    assert created == [[f"t.onematter.tasks.{d}" for d in sorted(["mohrss", "mps", "ndcpa", "nhc", "nhsa"])]]
    assert await uow.matters.current("newborn-birth") is None
    assert (await uow.matters.version("newborn-birth", 1)) is not None
