"""Replicas of the catalog starting together on one empty PostgreSQL database seed it once."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from onematter_catalog.entrypoints.app import MIGRATIONS
from onematter_catalog.seed.loader import load_seed
from onematter_catalog.service_layer.handlers import seed_if_empty
from onematter_catalog.service_layer.unit_of_work import CatalogUnitOfWork
from onematter_kit.database import create_engine, create_session_factory
from onematter_kit.migrations import upgrade_to_head

pytestmark = pytest.mark.integration

#: 国发〔2024〕3号's first batch: 13 key matters (the seed is that list).
FIRST_BATCH = 13


async def test_three_instances_seeding_an_empty_catalog_at_once_seed_it_exactly_once(
    fresh_database_url: str,
) -> None:
    await upgrade_to_head(MIGRATIONS, fresh_database_url)
    engines = [create_engine(fresh_database_url) for _ in range(3)]  # one engine per "replica"
    try:
        factories = [create_session_factory(engine) for engine in engines]
        seeded = await asyncio.gather(
            *(seed_if_empty(load_seed(), uow_factory=lambda f=f: CatalogUnitOfWork(f)) for f in factories),
            return_exceptions=True,
        )
    finally:
        for engine in engines:
            await engine.dispose()

    assert sorted(seeded, key=str) == [0, 0, FIRST_BATCH], seeded
    connection = await asyncpg.connect(fresh_database_url.replace("+asyncpg", "", 1))
    try:
        matters = await connection.fetchval("SELECT count(*) FROM catalog_matters")
    finally:
        await connection.close()
    assert matters == FIRST_BATCH
