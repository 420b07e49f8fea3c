"""Creating the departments' task topics (``onematter.tasks.<dept>``) after a publish, retried until done.

Publishing only records the departments in ``catalog_pending_topics`` (same transaction as the version);
this worker creates the topics afterwards, so a Kafka outage never blocks or fails a publish. A topic that
already exists counts as created, so running twice is harmless.
"""

from __future__ import annotations

import logging

from onematter_events import task_topic
from onematter_kit.backoff import Backoff, run_forever
from onematter_kit.kafka import ensure_topics
from onematter_kit.runtime import ServiceRuntime

from onematter_catalog.service_layer.unit_of_work import CatalogUnitOfWork

__all__ = ["create_pending_topics", "department_topics_worker"]

log = logging.getLogger("onematter.catalog.topics")
IDLE_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 30.0


async def create_pending_topics(runtime: ServiceRuntime[CatalogUnitOfWork]) -> int:
    """Create the task topics still pending; returns how many departments were done. Raises if Kafka fails."""
    async with runtime.uow() as uow:
        pending = await uow.catalog.pending_topics()
    if not pending:
        return 0
    settings = runtime.settings
    await ensure_topics(
        settings.kafka_bootstrap_servers, [task_topic(dept, settings.kafka_topic_prefix) for dept in pending]
    )
    async with runtime.uow() as uow:
        await uow.catalog.topics_created(pending)
        await uow.commit()
    log.info("created department task topics", extra={"departments": sorted(pending)})
    return len(pending)


async def department_topics_worker(runtime: ServiceRuntime[CatalogUnitOfWork]) -> None:
    """Run until cancelled: poll for pending departments every second, back off while Kafka or the
    database is down (up to 30 s)."""
    if not runtime.settings.kafka_enabled:
        return
    await run_forever(
        lambda: create_pending_topics(runtime),
        every=IDLE_SECONDS,
        backoff=Backoff(initial=IDLE_SECONDS, maximum=MAX_BACKOFF_SECONDS),
        log=log,
        what="cannot create task topics yet",
    )
