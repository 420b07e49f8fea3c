"""The knowledge base (知识库): entries from the catalog's published guides (consumed from Kafka, once per
event id by the kit's idempotent consumer) and entries operators write; searched by segmented words."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

from onematter_events import CloudEvent, matters
from onematter_kit.consumer import EventHandler

from onematter_hotline.adapters.segmenter import Segmenter
from onematter_hotline.domain.knowledge import KnowledgeEntry, catalog_entry_id, guide_text
from onematter_hotline.domain.similarity import content_words, rank
from onematter_hotline.service_layer.commands import AddKnowledge, PutDispatchRule
from onematter_hotline.service_layer.unit_of_work import HotlineUnitOfWork

__all__ = ["Found", "add_knowledge", "catalog_handlers", "put_rule", "search", "warm_up_segmenter"]


@dataclass(frozen=True, slots=True)
class Found:
    entry: KnowledgeEntry
    score: float


def catalog_handlers(segmenter: Segmenter) -> dict[str, EventHandler]:
    """``handler(event, uow)`` for the catalog's matter events: a published guide replaces its entry, a
    retired matter's entry is removed. The consumer commits (with the event's processed mark)."""

    async def published(event: CloudEvent, uow: HotlineUnitOfWork) -> None:
        title, body = guide_text(event.data)
        entry = KnowledgeEntry(catalog_entry_id(event.data["matter_code"]), "catalog", title, body)
        await _put(entry, uow, segmenter)

    async def retired(event: CloudEvent, uow: HotlineUnitOfWork) -> None:
        await uow.knowledge.remove(catalog_entry_id(event.data["matter_code"]))

    return {matters.MATTER_PUBLISHED: published, matters.MATTER_RETIRED: retired}


async def _put(entry: KnowledgeEntry, uow: HotlineUnitOfWork, segmenter: Segmenter) -> None:
    words = content_words(segmenter.words(f"{entry.title}\n{entry.body}"))
    await uow.knowledge.put(entry, words=words, at=uow.clock.now())


async def add_knowledge(cmd: AddKnowledge, uow: HotlineUnitOfWork, *, segmenter: Segmenter) -> KnowledgeEntry:
    """An operator-written entry (``note:<uuid>``)."""
    async with uow:
        entry = KnowledgeEntry(f"note:{uuid.uuid4()}", "operator", cmd.title, cmd.body)
        await _put(entry, uow, segmenter)
        await uow.commit()
    return entry


async def search(query: str, uow: HotlineUnitOfWork, *, segmenter: Segmenter, limit: int = 10) -> list[Found]:
    """Entries by the share of the query's content words they contain, best first."""
    async with uow:
        best = rank(content_words(segmenter.words(query)), await uow.knowledge.all_words(), limit=limit)
        entries = await uow.knowledge.get_many([c.id for c in best])
    scores = {c.id: c.score for c in best}
    return [Found(entry, scores[entry.id]) for entry in entries]


async def put_rule(cmd: PutDispatchRule, uow: HotlineUnitOfWork) -> dict[tuple[str, str], str]:
    """Set one line of the dispatch catalogue (派单目录); returns the whole catalogue."""
    async with uow:
        await uow.rules.put(category=cmd.category, region=cmd.region, office=cmd.office)
        await uow.commit()
        return await uow.rules.all()


async def warm_up_segmenter(runtime: Any) -> None:
    """Load the segmenter's dictionary in a thread at start-up (seconds), not on the first call taken."""
    warm_up = getattr(runtime.extras["segmenter"], "warm_up", None)
    if warm_up is not None:
        await asyncio.to_thread(warm_up)
