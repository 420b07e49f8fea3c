"""What the handlers may ask of storage: one interface per kind of record, on the unit of work.

The SQL implementations are in :mod:`onematter_notification.adapters.sql_inbox` and
:mod:`onematter_notification.adapters.sql_delivery`; handler tests use fakes that subclass these. Handlers
build the rows (:mod:`onematter_notification.adapters.tables`) and hand them to ``add``; no method
commits. Lists come back as one page and the total count before paging (``(rows, total)``).
"""

from __future__ import annotations

import abc
from collections.abc import Collection
from datetime import datetime

from onematter_notification.adapters.tables import (
    Delivery,
    DeliveryAttempt,
    Digest,
    Message,
    Profile,
    Subscription,
)
from onematter_notification.domain.names import CatalogNameRow
from onematter_notification.domain.streams import StreamPosition
from onematter_notification.domain.templates import Names, Ref

__all__ = [
    "CatalogNameRepository",
    "DeliveryRepository",
    "DigestRepository",
    "MessageRepository",
    "ProfileRepository",
    "SubscriptionRepository",
]


class MessageRepository(abc.ABC):
    """Inbox messages, ordered by ``seq`` (the SSE event id)."""

    @abc.abstractmethod
    async def exists(self, *, cause_id: str, recipient: str, kind: str) -> bool:
        """Whether this cause already made this kind of message for this recipient."""

    @abc.abstractmethod
    async def add(self, message: Message) -> Message:
        """Store the message; its ``seq`` is assigned on return, so readers see the order."""

    @abc.abstractmethod
    async def get(self, message_id: str) -> Message | None: ...

    @abc.abstractmethod
    async def page(self, inboxes: Collection[str], *, limit: int, offset: int) -> tuple[list[Message], int]:
        """Messages of ``inboxes``, newest first."""

    @abc.abstractmethod
    async def unread(self, inboxes: Collection[str]) -> int: ...

    @abc.abstractmethod
    async def after(self, inboxes: Collection[str], *, position: StreamPosition, limit: int) -> list[Message]:
        """Messages of ``inboxes`` after ``position``, in stream order, among those whose every earlier
        transaction has ended (so none can appear behind them later)."""

    @abc.abstractmethod
    async def held_back(self, inboxes: Collection[str]) -> bool:
        """Whether committed messages of ``inboxes`` wait behind an older running transaction (they are
        readable once it ends; no wake-up announces that)."""

    @abc.abstractmethod
    async def latest(self, inboxes: Collection[str]) -> StreamPosition:
        """The position of the newest message of ``inboxes`` a stream could read now (``START`` if none)."""

    @abc.abstractmethod
    async def position_of(self, inboxes: Collection[str], *, seq: int) -> StreamPosition | None:
        """The position of message ``seq`` if it is in one of ``inboxes``, else None."""


class ProfileRepository(abc.ABC):
    @abc.abstractmethod
    async def get(self, subject: str) -> Profile | None: ...

    @abc.abstractmethod
    async def ensure(self, profile: Profile) -> Profile:
        """The stored profile of ``profile.subject``, inserting ``profile`` if there is none. Race-safe:
        a person's first requests often arrive together, and all of them get the one row."""


class CatalogNameRepository(abc.ABC):
    @abc.abstractmethod
    async def remember(self, rows: Collection[CatalogNameRow], *, at: datetime) -> None:
        """Insert or update the names (the latest published wins)."""

    @abc.abstractmethod
    async def lookup(self, refs: Collection[Ref]) -> Names:
        """The known names of ``refs``; unknown ones are absent (they render as their code)."""


class DigestRepository(abc.ABC):
    @abc.abstractmethod
    async def of_application(self, application_id: str) -> list[Digest]:
        """The application's digests, oldest first, locked so the flush worker waits while one grows."""

    @abc.abstractmethod
    def add(self, digest: Digest) -> None: ...

    @abc.abstractmethod
    async def due(self, *, now: datetime, limit: int) -> list[Digest]:
        """Open digests due by ``now``, locked; rows another replica holds are skipped."""


class SubscriptionRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, subscription: Subscription) -> None: ...

    @abc.abstractmethod
    async def get(self, subscription_id: str) -> Subscription | None: ...

    @abc.abstractmethod
    async def page(
        self, *, department: str | None, every_department: bool, limit: int, offset: int
    ) -> tuple[list[Subscription], int]:
        """Subscriptions of ``department`` (all of them with ``every_department``), newest first."""

    @abc.abstractmethod
    async def active_for(self, departments: Collection[str]) -> list[Subscription]:
        """Active subscriptions of ``departments`` and those for every department."""


class DeliveryRepository(abc.ABC):
    @abc.abstractmethod
    async def exists(self, *, channel: str, target_key: str, cause_id: str) -> bool: ...

    @abc.abstractmethod
    def add(self, delivery: Delivery) -> None: ...

    @abc.abstractmethod
    async def get(self, delivery_id: str) -> Delivery | None: ...

    @abc.abstractmethod
    async def due(self, *, now: datetime, channels: Collection[str], limit: int) -> list[Delivery]:
        """Pending deliveries of ``channels`` due by ``now``, oldest due first, locked; rows another
        replica holds are skipped."""

    @abc.abstractmethod
    def add_attempt(self, attempt: DeliveryAttempt) -> None: ...

    @abc.abstractmethod
    async def page_for(self, subscription_id: str, *, limit: int, offset: int) -> tuple[list[Delivery], int]:
        """A subscription's deliveries, newest first."""

    @abc.abstractmethod
    async def attempts_of(self, delivery_ids: Collection[str]) -> dict[str, list[DeliveryAttempt]]:
        """Each delivery's attempts in order."""
