"""In-memory fakes of the notification service's own interfaces, for handler tests without a database.

They subclass the real repository interfaces and the unit of work; tests assert on their state
(``uow.committed``, ``uow.emitted``, ``uow.woken``, the repositories' rows).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime
from typing import TypeVar

from onematter_clock import Clock, FixedClock
from onematter_events import CloudEvent
from onematter_notification.adapters.repositories import (
    CatalogNameRepository,
    DeliveryRepository,
    DigestRepository,
    MessageRepository,
    ProfileRepository,
    SubscriptionRepository,
)
from onematter_notification.adapters.tables import (
    Delivery,
    DeliveryAttempt,
    Digest,
    Message,
    Profile,
    Subscription,
)
from onematter_notification.domain.delivery import DeliveryStatus
from onematter_notification.domain.names import CatalogNameRow
from onematter_notification.domain.streams import START, StreamPosition
from onematter_notification.domain.templates import Names, Ref
from onematter_notification.service_layer.unit_of_work import NotificationUnitOfWork
from onematter_testkit import FakeUnitOfWork

#: An ordinary weekday afternoon in Beijing (2026-03-10 14:00 +08:00).
DEFAULT_NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
T = TypeVar("T")


def _page(rows: list[T], limit: int, offset: int) -> tuple[list[T], int]:
    return rows[offset : offset + limit], len(rows)


class FakeMessages(MessageRepository):
    def __init__(self) -> None:
        self.rows: list[Message] = []

    async def exists(self, *, cause_id: str, recipient: str, kind: str) -> bool:
        return any((m.cause_id, m.recipient, m.kind) == (cause_id, recipient, kind) for m in self.rows)

    async def add(self, message: Message) -> Message:
        message.seq = len(self.rows) + 1
        self.rows.append(message)
        return message

    async def get(self, message_id: str) -> Message | None:
        return next((m for m in self.rows if m.id == message_id), None)

    def of(self, inboxes: Collection[str]) -> list[Message]:
        return [m for m in self.rows if m.recipient in inboxes]

    async def page(self, inboxes: Collection[str], *, limit: int, offset: int) -> tuple[list[Message], int]:
        return _page(self.of(inboxes)[::-1], limit, offset)

    async def unread(self, inboxes: Collection[str]) -> int:
        return sum(1 for m in self.of(inboxes) if m.read_at is None)

    async def after(self, inboxes: Collection[str], *, position: StreamPosition, limit: int) -> list[Message]:
        # One writer at a time, like SQLite: seq order is commit order and xact stays 0.
        return [m for m in self.of(inboxes) if _position(m) > position][:limit]

    async def held_back(self, inboxes: Collection[str]) -> bool:
        return False

    async def latest(self, inboxes: Collection[str]) -> StreamPosition:
        return max((_position(m) for m in self.of(inboxes)), default=START)

    async def position_of(self, inboxes: Collection[str], *, seq: int) -> StreamPosition | None:
        return next((_position(m) for m in self.of(inboxes) if m.seq == seq), None)


def _position(message: Message) -> StreamPosition:
    return StreamPosition(message.xact_id or 0, message.seq or 0)


class FakeProfiles(ProfileRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Profile] = {}

    async def get(self, subject: str) -> Profile | None:
        return self.rows.get(subject)

    async def ensure(self, profile: Profile) -> Profile:
        return self.rows.setdefault(profile.subject, profile)


class FakeNames(CatalogNameRepository):
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], CatalogNameRow] = {}

    async def remember(self, rows: Collection[CatalogNameRow], *, at: datetime) -> None:
        self.rows.update({(r.kind, r.code): r for r in rows})

    async def lookup(self, refs: Collection[Ref]) -> Names:
        found = (self.rows.get((r.kind, r.code)) for r in refs)
        return {(r.kind, r.code): {"zh-CN": r.name_zh, "en": r.name_en} for r in found if r is not None}


class FakeDigests(DigestRepository):
    def __init__(self) -> None:
        self.rows: list[Digest] = []

    async def of_application(self, application_id: str) -> list[Digest]:
        return sorted(
            (d for d in self.rows if d.application_id == application_id), key=lambda d: d.created_at
        )

    def add(self, digest: Digest) -> None:
        if digest not in self.rows:
            self.rows.append(digest)

    async def due(self, *, now: datetime, limit: int) -> list[Digest]:
        due = [d for d in self.rows if d.flushed_at is None and d.due_at <= now]
        return sorted(due, key=lambda d: d.due_at)[:limit]


class FakeSubscriptions(SubscriptionRepository):
    def __init__(self) -> None:
        self.rows: list[Subscription] = []

    def add(self, subscription: Subscription) -> None:
        self.rows.append(subscription)

    async def get(self, subscription_id: str) -> Subscription | None:
        return next((s for s in self.rows if s.id == subscription_id), None)

    async def page(
        self, *, department: str | None, every_department: bool, limit: int, offset: int
    ) -> tuple[list[Subscription], int]:
        rows = [s for s in self.rows if every_department or s.department == department]
        return _page(sorted(rows, key=lambda s: s.created_at, reverse=True), limit, offset)

    async def active_for(self, departments: Collection[str]) -> list[Subscription]:
        return [s for s in self.rows if s.active and (s.department is None or s.department in departments)]


class FakeDeliveries(DeliveryRepository):
    def __init__(self) -> None:
        self.rows: list[Delivery] = []
        self.attempts: list[DeliveryAttempt] = []

    async def exists(self, *, channel: str, target_key: str, cause_id: str) -> bool:
        return any(
            (d.channel, d.target_key, d.cause_id) == (channel, target_key, cause_id) for d in self.rows
        )

    def add(self, delivery: Delivery) -> None:
        self.rows.append(delivery)

    async def get(self, delivery_id: str) -> Delivery | None:
        return next((d for d in self.rows if d.id == delivery_id), None)

    async def due(self, *, now: datetime, channels: Collection[str], limit: int) -> list[Delivery]:
        due = [
            d
            for d in self.rows
            if d.status == DeliveryStatus.pending and d.next_attempt_at <= now and d.channel in channels
        ]
        return sorted(due, key=lambda d: d.next_attempt_at)[:limit]

    def add_attempt(self, attempt: DeliveryAttempt) -> None:
        self.attempts.append(attempt)

    async def page_for(self, subscription_id: str, *, limit: int, offset: int) -> tuple[list[Delivery], int]:
        rows = [d for d in self.rows if d.subscription_id == subscription_id]
        return _page(sorted(rows, key=lambda d: d.created_at, reverse=True), limit, offset)

    async def attempts_of(self, delivery_ids: Collection[str]) -> dict[str, list[DeliveryAttempt]]:
        found: dict[str, list[DeliveryAttempt]] = {}
        for attempt in sorted(self.attempts, key=lambda a: a.number):
            if attempt.delivery_id in delivery_ids:
                found.setdefault(attempt.delivery_id, []).append(attempt)
        return found


class FakeNotificationUnitOfWork(FakeUnitOfWork, NotificationUnitOfWork):
    """The testkit's fake unit of work with in-memory repositories; ``woken`` holds the inboxes woken
    after commits and ``deliveries_woken`` whether the delivery worker was."""

    def __init__(self, *, clock: Clock | None = None) -> None:
        super().__init__()
        self.clock = clock or FixedClock(DEFAULT_NOW)
        self.messages, self.profiles, self.names = FakeMessages(), FakeProfiles(), FakeNames()
        self.digests, self.subscriptions, self.deliveries = (
            FakeDigests(),
            FakeSubscriptions(),
            FakeDeliveries(),
        )
        self.woken: set[str] = set()
        self.deliveries_woken = False
        self._recipients: set[str] = set()
        self._new_deliveries = False

    def message_added(self, recipient: str) -> None:
        self._recipients.add(recipient)

    def delivery_added(self) -> None:
        self._new_deliveries = True

    async def commit(self) -> None:
        await super().commit()
        self.woken |= self._recipients
        self.deliveries_woken |= self._new_deliveries
        self._recipients, self._new_deliveries = set(), False


async def consume(
    handler: Callable[[CloudEvent, NotificationUnitOfWork], Awaitable[None]],
    event: CloudEvent,
    uow: FakeNotificationUnitOfWork,
) -> None:
    """What the kit's idempotent consumer does around an event handler: enter, apply, commit."""
    async with uow:
        await handler(event, uow)
        await uow.commit()
