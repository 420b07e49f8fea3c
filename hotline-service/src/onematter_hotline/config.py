"""Settings of the 12345 hotline service."""

from __future__ import annotations

from onematter_kit.settings import ServiceSettings
from pydantic import Field

__all__ = ["HotlineSettings"]


class HotlineSettings(ServiceSettings):
    service_name: str = "hotline"
    database_url: str = "sqlite+aiosqlite:///./data/hotline.db"
    #: 并单: a new request at least this Jaccard-similar (content words) to an open one of the same
    #: category and region is proposed for merging (MERGE_SIMILARITY_THRESHOLD).
    merge_similarity_threshold: float = Field(default=0.5, gt=0, le=1)
    #: How often the escalation round (督办) looks for overdue requests, in seconds.
    escalation_interval_seconds: float = Field(default=60.0, gt=0)
