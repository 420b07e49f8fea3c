"""Inbox, profiles and catalog names on SQLAlchemy, within the unit of work's session."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict
from datetime import datetime

from onematter_kit.commit_order import below_horizon, held_back
from onematter_kit.database import is_postgres
from onematter_kit.paging import fetch_page
from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from onematter_notification.adapters.repositories import (
    CatalogNameRepository,
    MessageRepository,
    ProfileRepository,
)
from onematter_notification.adapters.sql import upsert_statement
from onematter_notification.adapters.tables import CatalogName, Message, Profile
from onematter_notification.domain.names import CatalogNameRow
from onematter_notification.domain.streams import START, StreamPosition
from onematter_notification.domain.templates import Names, Ref

__all__ = ["SqlCatalogNameRepository", "SqlMessageRepository", "SqlProfileRepository"]


class SqlMessageRepository(MessageRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def exists(self, *, cause_id: str, recipient: str, kind: str) -> bool:
        statement = select(col(Message.seq)).where(
            col(Message.cause_id) == cause_id, col(Message.recipient) == recipient, col(Message.kind) == kind
        )
        return (await self.session.execute(statement)).first() is not None

    async def add(self, message: Message) -> Message:
        self.session.add(message)
        await self.session.flush()  # assigns seq
        return message

    async def get(self, message_id: str) -> Message | None:
        statement = select(Message).where(col(Message.id) == message_id)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def page(self, inboxes: Collection[str], *, limit: int, offset: int) -> tuple[list[Message], int]:
        statement = select(Message).where(col(Message.recipient).in_(list(inboxes)))
        rows, total = await fetch_page(
            self.session, statement.order_by(col(Message.seq).desc()), limit=limit, offset=offset
        )
        return list(rows), total

    async def unread(self, inboxes: Collection[str]) -> int:
        statement = select(func.count()).where(
            col(Message.recipient).in_(list(inboxes)), col(Message.read_at).is_(None)
        )
        return int((await self.session.execute(statement)).scalar_one())

    async def after(self, inboxes: Collection[str], *, position: StreamPosition, limit: int) -> list[Message]:
        # PostgreSQL: (xact_id, seq) order below the horizon, so a late commit is never passed over;
        # SQLite: one writer at a time assigns seq in commit order (see onematter_kit.commit_order).
        statement = select(Message).where(col(Message.recipient).in_(list(inboxes)))
        if self._horizon:
            statement = statement.where(
                below_horizon(col(Message.xact_id)),
                tuple_(col(Message.xact_id), col(Message.seq)) > tuple_(position.xact, position.seq),
            ).order_by(col(Message.xact_id), col(Message.seq))
        else:
            statement = statement.where(col(Message.seq) > position.seq).order_by(col(Message.seq))
        return list((await self.session.execute(statement.limit(limit))).scalars())

    async def held_back(self, inboxes: Collection[str]) -> bool:
        if not self._horizon:
            return False
        statement = select(col(Message.seq)).where(
            col(Message.recipient).in_(list(inboxes)), held_back(col(Message.xact_id))
        )
        return (await self.session.execute(statement.limit(1))).first() is not None

    async def latest(self, inboxes: Collection[str]) -> StreamPosition:
        statement = select(col(Message.xact_id), col(Message.seq)).where(
            col(Message.recipient).in_(list(inboxes))
        )
        if self._horizon:
            statement = statement.where(below_horizon(col(Message.xact_id)))
            statement = statement.order_by(col(Message.xact_id).desc(), col(Message.seq).desc())
        else:
            statement = statement.order_by(col(Message.seq).desc())
        row = (await self.session.execute(statement.limit(1))).first()
        return START if row is None else StreamPosition(row[0] or 0, row[1] or 0)

    async def position_of(self, inboxes: Collection[str], *, seq: int) -> StreamPosition | None:
        statement = select(col(Message.xact_id)).where(
            col(Message.seq) == seq, col(Message.recipient).in_(list(inboxes))
        )
        row = (await self.session.execute(statement)).first()
        return None if row is None else StreamPosition(row[0] or 0, seq)

    @property
    def _horizon(self) -> bool:
        return is_postgres(self.session.get_bind())


class SqlProfileRepository(ProfileRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, subject: str) -> Profile | None:
        return await self.session.get(Profile, subject)

    async def ensure(self, profile: Profile) -> Profile:
        # INSERT … ON CONFLICT DO NOTHING, then read: whichever request inserts first wins and the others
        # read its row (PostgreSQL waits for the winner's commit) instead of failing on the key.
        stored = await self.session.get(Profile, profile.subject)
        if stored is not None:
            return stored
        insert = upsert_statement(self.session, Profile).values(
            subject=profile.subject,
            email=profile.email,
            phone=profile.phone,
            locale=profile.locale,
            updated_at=profile.updated_at,
        )
        await self.session.execute(insert.on_conflict_do_nothing(index_elements=["subject"]))
        stored = await self.session.get(Profile, profile.subject, populate_existing=True)
        if stored is None:  # pragma: no cover — the row was inserted or already committed above
            raise RuntimeError("a profile was neither inserted nor found")
        return stored


class SqlCatalogNameRepository(CatalogNameRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def remember(self, rows: Collection[CatalogNameRow], *, at: datetime) -> None:
        # ON CONFLICT DO UPDATE: consumers of matters sharing a material (two replicas, two partitions)
        # cannot collide on the key.
        insert = upsert_statement(self.session, CatalogName).values(
            [{**asdict(r), "updated_at": at} for r in rows]
        )
        await self.session.execute(
            insert.on_conflict_do_update(
                index_elements=["kind", "code"],
                set_={
                    "name_zh": insert.excluded.name_zh,
                    "name_en": insert.excluded.name_en,
                    "updated_at": insert.excluded.updated_at,
                },
            )
        )

    async def lookup(self, refs: Collection[Ref]) -> Names:
        if not refs:
            return {}
        wanted = {(r.kind, r.code) for r in refs}
        statement = select(CatalogName).where(col(CatalogName.code).in_({r.code for r in refs}))
        return {
            (row.kind, row.code): {"zh-CN": row.name_zh, "en": row.name_en}
            for row in (await self.session.execute(statement)).scalars()
            if (row.kind, row.code) in wanted
        }
