"""The acceptance service's other records on SQL: the local catalog copy, reviews, rectifications, the
timeline and the idempotency keys of submissions."""

from __future__ import annotations

from datetime import datetime

from onematter_events.matters import MatterPublished
from onematter_kit.paging import fetch_page
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from onematter_acceptance.adapters.mapping import to_domain, to_row_values, write_back
from onematter_acceptance.adapters.repository import (
    IdempotencyRecord,
    IdempotencyRepository,
    MatterRepository,
    RectificationRepository,
    ReviewRepository,
    TimelineRepository,
)
from onematter_acceptance.adapters.tables import (
    ApplicationRow,
    IdempotencyKey,
    MatterCopy,
    RectificationRow,
    ReviewRow,
    TimelineRow,
)
from onematter_acceptance.domain.reviews import Rectification, Review
from onematter_acceptance.domain.timeline import TimelineEntry

__all__ = [
    "SqlIdempotencyRepository",
    "SqlMatterRepository",
    "SqlRectificationRepository",
    "SqlReviewRepository",
    "SqlTimelineRepository",
]


class SqlMatterRepository(MatterRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current(self, code: str) -> MatterPublished | None:
        statement = (
            select(MatterCopy)
            .where(col(MatterCopy.matter_code) == code)
            .order_by(col(MatterCopy.version).desc())
        )
        row = (await self.session.scalars(statement.limit(1))).first()
        return None if row is None or row.retired else MatterPublished.model_validate(row.payload)

    async def version(self, code: str, version: int) -> MatterPublished | None:
        row = await self.session.get(MatterCopy, (code, version))
        return None if row is None else MatterPublished.model_validate(row.payload)

    async def save(self, matter: MatterPublished, *, received_at: datetime) -> None:
        row = await self.session.get(MatterCopy, (matter.matter_code, matter.version))
        payload = matter.model_dump(mode="json")
        if row is None:
            self.session.add(
                MatterCopy(
                    matter_code=matter.matter_code,
                    version=matter.version,
                    payload=payload,
                    received_at=received_at,
                )
            )
        else:
            row.payload, row.retired = payload, False

    async def retire(self, code: str) -> None:
        await self.session.execute(
            update(MatterCopy).where(col(MatterCopy.matter_code) == code).values(retired=True)
        )

    async def latest(self) -> list[MatterPublished]:
        newest = (
            select(col(MatterCopy.matter_code), func.max(col(MatterCopy.version)).label("version"))
            .group_by(col(MatterCopy.matter_code))
            .subquery()
        )
        statement = select(MatterCopy).join(
            newest,
            (col(MatterCopy.matter_code) == newest.c.matter_code)
            & (col(MatterCopy.version) == newest.c.version),
        )
        rows = await self.session.scalars(statement.where(col(MatterCopy.retired).is_(False)))
        return [MatterPublished.model_validate(r.payload) for r in rows]


class SqlReviewRepository(ReviewRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, application_id: str) -> Review | None:
        row = await self.session.get(ReviewRow, application_id)
        return None if row is None else to_domain(Review, row)

    def add(self, review: Review) -> None:
        self.session.add(ReviewRow(**to_row_values(review)))


class SqlRectificationRepository(RectificationRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._seen: list[tuple[Rectification, RectificationRow]] = []

    def add(self, rectification: Rectification) -> None:
        self.session.add(RectificationRow(**to_row_values(rectification)))

    async def get(self, rectification_id: str, *, lock: bool = False) -> Rectification | None:
        statement = select(RectificationRow).where(col(RectificationRow.id) == rectification_id)
        if lock:
            statement = statement.with_for_update()
        row = (await self.session.scalars(statement)).first()
        if row is None:
            return None
        rectification: Rectification = to_domain(Rectification, row)
        self._seen.append((rectification, row))
        return rectification

    async def page(
        self, *, department: str | None, status: str | None, limit: int, offset: int
    ) -> tuple[list[Rectification], int]:
        statement = select(RectificationRow)
        if department:
            statement = statement.where(col(RectificationRow.department) == department)
        if status:
            statement = statement.where(col(RectificationRow.status) == status)
        statement = statement.order_by(col(RectificationRow.due))
        rows, total = await fetch_page(self.session, statement, limit=limit, offset=offset)
        return [to_domain(Rectification, r) for r in rows], total

    def sync(self) -> None:
        for rectification, row in self._seen:
            write_back(rectification, row)


class SqlTimelineRepository(TimelineRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, entry: TimelineEntry) -> None:
        self.session.add(TimelineRow(**vars(entry)))

    async def of(self, application_id: str) -> list[TimelineEntry]:
        statement = select(TimelineRow).where(col(TimelineRow.application_id) == application_id)
        rows = await self.session.scalars(statement.order_by(col(TimelineRow.id)))
        return [to_domain(TimelineEntry, r) for r in rows]


class SqlIdempotencyRepository(IdempotencyRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, caller: str, key: str) -> IdempotencyRecord | None:
        statement = (
            select(col(IdempotencyKey.body_hash), col(ApplicationRow.acceptance_number))
            .join(ApplicationRow, col(ApplicationRow.id) == col(IdempotencyKey.application_id))
            .where(col(IdempotencyKey.caller) == caller, col(IdempotencyKey.key) == key)
        )
        row = (await self.session.execute(statement)).first()
        return None if row is None else IdempotencyRecord(body_hash=row[0], acceptance_number=row[1])

    async def claim(
        self, caller: str, key: str, *, body_hash: str, application_id: str, at: datetime
    ) -> bool:
        self.session.add(
            IdempotencyKey(
                caller=caller, key=key, body_hash=body_hash, application_id=application_id, created_at=at
            )
        )
        try:
            await self.session.flush()  # the primary key decides between concurrent twins, now
        except IntegrityError:
            return False
        return True
