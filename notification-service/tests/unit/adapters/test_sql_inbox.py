"""The stream's reads on SQLite (``make run``): one writer at a time, so a plain ``seq`` order is right
and nothing is ever held back (the PostgreSQL side is in tests/integration/test_stream_order.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from onematter_kit.database import create_engine, create_session_factory
from onematter_notification.adapters.sql_inbox import SqlMessageRepository
from onematter_notification.adapters.tables import Message
from onematter_notification.domain.streams import START, StreamPosition
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel


@pytest.fixture
async def session(tmp_path) -> AsyncIterator[AsyncSession]:  # type: ignore[no-untyped-def]
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/inbox.db")
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.create_all, tables=[Message.__table__])  # type: ignore[attr-defined]
    async with create_session_factory(engine)() as session:
        yield session
    await engine.dispose()


async def _store(messages: SqlMessageRepository, recipient: str) -> Message:
    message = Message(
        recipient=recipient,
        kind="task.overdue",
        locale="zh-CN",
        subject="s",
        body="b",
        cause_id=f"cause-{recipient}-{datetime.now(UTC).timestamp()}",
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    return await messages.add(message)


async def test_on_sqlite_the_stream_reads_by_seq_and_nothing_is_held_back(session: AsyncSession) -> None:
    messages = SqlMessageRepository(session)
    first, _other, second = [await _store(messages, r) for r in ("user:me", "user:you", "user:me")]

    assert [m.seq for m in await messages.after(["user:me"], position=START, limit=10)] == [
        first.seq,
        second.seq,
    ]
    assert await messages.latest(["user:me"]) == StreamPosition(0, second.seq or 0)
    assert await messages.position_of(["user:me"], seq=first.seq or 0) == StreamPosition(0, first.seq or 0)
    assert await messages.position_of(["user:you"], seq=first.seq or 0) is None
    assert not await messages.held_back(["user:me"])
    assert first.xact_id is None  # SQLite has no transaction ids; the column stays empty
