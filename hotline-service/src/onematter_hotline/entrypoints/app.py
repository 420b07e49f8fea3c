"""Composition root of the 12345 hotline service: ``create_app(settings)``; nothing built at import time."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from onematter_clock import Clock
from onematter_events import Stream, topic_name
from onematter_kit.runtime import ConsumerSpec, ServiceRuntime, create_service_app
from onematter_workdays import WorkCalendar

from onematter_hotline.adapters.segmenter import JiebaSegmenter
from onematter_hotline.config import HotlineSettings
from onematter_hotline.entrypoints import knowledge, requests
from onematter_hotline.service_layer.escalation import escalation_worker
from onematter_hotline.service_layer.knowledge import catalog_handlers, warm_up_segmenter
from onematter_hotline.service_layer.unit_of_work import HotlineUnitOfWork

__all__ = ["MIGRATIONS", "create_app"]

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(settings: HotlineSettings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """The service's app; ``clock`` replaces the one the settings build (tests pin time with it)."""
    settings = settings or HotlineSettings()
    prefix = settings.kafka_topic_prefix
    segmenter = JiebaSegmenter()
    catalog = topic_name(Stream.catalog, prefix)
    runtime = ServiceRuntime(
        settings=settings,
        migrations=MIGRATIONS,
        uow_class=HotlineUnitOfWork,
        topics=[topic_name(Stream.hotline, prefix), catalog],
        consumers=[ConsumerSpec("catalog", catalog_handlers(segmenter), topics=[catalog])],
        workers=[escalation_worker, warm_up_segmenter],
        extras={
            "segmenter": segmenter,
            # the national calendar: State Council notices via chinese_calendar, else the statutory rule
            "calendar": WorkCalendar(),
            "threshold": settings.merge_similarity_threshold,
        },
    )
    if clock is not None:
        runtime.clock = clock
    return create_service_app(
        runtime, title="OneMatter 12345 hotline service", routers=[requests.router, knowledge.router]
    )
