from collections.abc import AsyncIterator

import pytest
from onematter_kit.database import create_engine, create_session_factory
from onematter_kit.runtime import ServiceRuntime  # noqa: F401 — the kit's public composition root
from onematter_kit.tables import OutboxMessage, ProcessedEvent
from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel


class KitTestEffect(SQLModel, table=True):
    """The effect a test consumer applies: one row per applied event."""

    __tablename__ = "kit_test_effects"
    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(sa_column=Column(String(64), nullable=False))


@pytest.fixture
async def session_factory(fresh_database_url: str) -> AsyncIterator[object]:
    engine = create_engine(fresh_database_url)
    async with engine.begin() as connection:
        await connection.run_sync(
            SQLModel.metadata.create_all,
            tables=[OutboxMessage.__table__, ProcessedEvent.__table__, KitTestEffect.__table__],
        )  # type: ignore[attr-defined]
    yield create_session_factory(engine)
    await engine.dispose()
