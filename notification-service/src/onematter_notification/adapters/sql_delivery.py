"""Digests, webhook subscriptions and deliveries on SQLAlchemy, within the unit of work's session.

Rows a worker claims are locked ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so replicas never take the
same row; SQLite (one process) needs no lock.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from onematter_kit.database import is_postgres
from onematter_kit.paging import fetch_page
from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from onematter_notification.adapters.repositories import (
    DeliveryRepository,
    DigestRepository,
    SubscriptionRepository,
)
from onematter_notification.adapters.tables import Delivery, DeliveryAttempt, Digest, Subscription
from onematter_notification.domain.delivery import DeliveryStatus

__all__ = ["SqlDeliveryRepository", "SqlDigestRepository", "SqlSubscriptionRepository"]


class _Sql:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _locked(self, statement: Select[Any], *, skip: bool) -> Select[Any]:
        if not is_postgres(self.session.get_bind()):
            return statement
        return statement.with_for_update(skip_locked=skip)

    async def _rows(self, statement: Select[Any]) -> list[Any]:
        return list((await self.session.execute(statement)).scalars())


class SqlDigestRepository(_Sql, DigestRepository):
    async def of_application(self, application_id: str) -> list[Digest]:
        statement = select(Digest).where(col(Digest.application_id) == application_id)
        return await self._rows(self._locked(statement.order_by(col(Digest.created_at)), skip=False))

    def add(self, digest: Digest) -> None:
        self.session.add(digest)

    async def due(self, *, now: datetime, limit: int) -> list[Digest]:
        statement = (
            select(Digest)
            .where(col(Digest.flushed_at).is_(None), col(Digest.due_at) <= now)
            .order_by(col(Digest.due_at))
            .limit(limit)
        )
        return await self._rows(self._locked(statement, skip=True))


class SqlSubscriptionRepository(_Sql, SubscriptionRepository):
    def add(self, subscription: Subscription) -> None:
        self.session.add(subscription)

    async def get(self, subscription_id: str) -> Subscription | None:
        return await self.session.get(Subscription, subscription_id)

    async def page(
        self, *, department: str | None, every_department: bool, limit: int, offset: int
    ) -> tuple[list[Subscription], int]:
        statement = select(Subscription)
        if not every_department:
            statement = statement.where(col(Subscription.department) == department)
        statement = statement.order_by(col(Subscription.created_at).desc())
        rows, total = await fetch_page(self.session, statement, limit=limit, offset=offset)
        return list(rows), total

    async def active_for(self, departments: Collection[str]) -> list[Subscription]:
        statement = select(Subscription).where(
            col(Subscription.active).is_(True),
            or_(col(Subscription.department).is_(None), col(Subscription.department).in_(list(departments))),
        )
        return await self._rows(statement)


class SqlDeliveryRepository(_Sql, DeliveryRepository):
    async def exists(self, *, channel: str, target_key: str, cause_id: str) -> bool:
        statement = select(col(Delivery.id)).where(
            col(Delivery.channel) == channel,
            col(Delivery.target_key) == target_key,
            col(Delivery.cause_id) == cause_id,
        )
        return (await self.session.execute(statement)).first() is not None

    def add(self, delivery: Delivery) -> None:
        self.session.add(delivery)

    async def get(self, delivery_id: str) -> Delivery | None:
        return await self.session.get(Delivery, delivery_id)

    async def due(self, *, now: datetime, channels: Collection[str], limit: int) -> list[Delivery]:
        statement = (
            select(Delivery)
            .where(
                col(Delivery.status) == DeliveryStatus.pending,
                col(Delivery.next_attempt_at) <= now,
                col(Delivery.channel).in_(list(channels)),
            )
            .order_by(col(Delivery.next_attempt_at))
            .limit(limit)
        )
        return await self._rows(self._locked(statement, skip=True))

    def add_attempt(self, attempt: DeliveryAttempt) -> None:
        self.session.add(attempt)

    async def page_for(self, subscription_id: str, *, limit: int, offset: int) -> tuple[list[Delivery], int]:
        statement = select(Delivery).where(col(Delivery.subscription_id) == subscription_id)
        statement = statement.order_by(col(Delivery.created_at).desc())
        rows, total = await fetch_page(self.session, statement, limit=limit, offset=offset)
        return list(rows), total

    async def attempts_of(self, delivery_ids: Collection[str]) -> dict[str, list[DeliveryAttempt]]:
        statement = (
            select(DeliveryAttempt)
            .where(col(DeliveryAttempt.delivery_id).in_(list(delivery_ids)))
            .order_by(col(DeliveryAttempt.number))
        )
        found: dict[str, list[DeliveryAttempt]] = {}
        for attempt in await self._rows(statement):
            found.setdefault(attempt.delivery_id, []).append(attempt)
        return found
