"""The material service in-process on the real PostgreSQL and Kafka, with its own topics and blob folder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from onematter_material.config import MaterialSettings
from onematter_material.entrypoints.app import create_app


@pytest.fixture
def settings(
    fresh_database_url: str, kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> MaterialSettings:
    return MaterialSettings(
        database_url=fresh_database_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        kafka_topic_prefix=topic_prefix,
        environment="test",
        material_storage_dir=tmp_path / "blobs",
        log_json=False,
        log_level="WARNING",
    )


@pytest.fixture
async def client(settings: MaterialSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with (
        LifespanManager(app, startup_timeout=60),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://material") as http,
    ):
        yield http
