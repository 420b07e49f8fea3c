"""The hotline service running in-process on a fresh PostgreSQL database and the shared Kafka."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from hotline_testing import AUDIENCE, Hotline
from onematter_hotline.config import HotlineSettings
from onematter_hotline.entrypoints.app import create_app
from onematter_kit.identity import Role
from onematter_testkit import internal_headers, make_principal, random_code


@pytest.fixture
async def hotline(fresh_database_url: str, kafka_bootstrap: str, topic_prefix: str) -> AsyncIterator[Hotline]:
    settings = HotlineSettings(
        database_url=fresh_database_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        kafka_topic_prefix=topic_prefix,
        environment="test",
        log_json=False,
        clock_as_of="2026-12-01T01:00:00Z",
    )
    app = create_app(settings)
    async with (
        LifespanManager(app, startup_timeout=60),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hotline") as client,
    ):
        yield Hotline(
            client=client,
            topic_prefix=topic_prefix,
            operator=internal_headers(
                make_principal(random_code("op"), Role.hotline_operator), audience=AUDIENCE
            ),
            dispatcher=internal_headers(
                make_principal(random_code("disp"), Role.hotline_dispatcher), audience=AUDIENCE
            ),
        )
