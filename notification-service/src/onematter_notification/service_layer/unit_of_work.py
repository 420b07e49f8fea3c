"""The notification service's unit of work: the kit's (one transaction, its events in the outbox, the
clock), plus the repositories, plus wake-ups sent only after the transaction committed.

Handlers type against :class:`NotificationUnitOfWork`; the runtime builds a subclass of
:class:`SqlNotificationUnitOfWork` bound to the app's :class:`Signals` (see :func:`uow_class_for`), and
handler tests a fake with in-memory repositories.
"""

from __future__ import annotations

import abc
from types import TracebackType
from typing import Any, Self

from onematter_clock import Clock
from onematter_kit.unit_of_work import AbstractUnitOfWork, SqlUnitOfWork

from onematter_notification.adapters.repositories import (
    CatalogNameRepository,
    DeliveryRepository,
    DigestRepository,
    MessageRepository,
    ProfileRepository,
    SubscriptionRepository,
)
from onematter_notification.adapters.sql_delivery import (
    SqlDeliveryRepository,
    SqlDigestRepository,
    SqlSubscriptionRepository,
)
from onematter_notification.adapters.sql_inbox import (
    SqlCatalogNameRepository,
    SqlMessageRepository,
    SqlProfileRepository,
)
from onematter_notification.adapters.wakeups import notify_inboxes
from onematter_notification.service_layer.signals import Signals

__all__ = ["NotificationUnitOfWork", "SqlNotificationUnitOfWork", "uow_class_for"]


class NotificationUnitOfWork(AbstractUnitOfWork):
    """What a handler sees: the repositories, ``clock``, ``emit``/``commit``, and the wake-ups to send
    once committed (``message_added``, ``delivery_added``)."""

    clock: Clock
    messages: MessageRepository
    profiles: ProfileRepository
    names: CatalogNameRepository
    digests: DigestRepository
    subscriptions: SubscriptionRepository
    deliveries: DeliveryRepository

    @abc.abstractmethod
    def message_added(self, recipient: str) -> None:
        """Wake ``recipient``'s live streams once the transaction committed."""

    @abc.abstractmethod
    def delivery_added(self) -> None:
        """Wake the delivery worker once the transaction committed."""


class SqlNotificationUnitOfWork(SqlUnitOfWork, NotificationUnitOfWork):
    """The repositories on the session; wake-ups go to ``signals`` after each commit and are dropped on a
    rollback. Rows a handler returns are detached as they are before the closing rollback, so they stay
    readable after the block."""

    signals: Signals = Signals()  # replaced per app by :func:`uow_class_for`

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._recipients: set[str] = set()
        self._wake_deliveries = False

    def message_added(self, recipient: str) -> None:
        self._recipients.add(recipient)

    def delivery_added(self) -> None:
        self._wake_deliveries = True

    def _take_wake_ups(self) -> tuple[set[str], bool]:
        taken = (self._recipients, self._wake_deliveries)
        self._recipients, self._wake_deliveries = set(), False
        return taken

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.messages = SqlMessageRepository(self.session)
        self.profiles = SqlProfileRepository(self.session)
        self.names = SqlCatalogNameRepository(self.session)
        self.digests = SqlDigestRepository(self.session)
        self.subscriptions = SqlSubscriptionRepository(self.session)
        self.deliveries = SqlDeliveryRepository(self.session)
        self._take_wake_ups()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.session.expunge_all()
        await super().__aexit__(exc_type, exc, tb)

    async def commit(self) -> None:
        # Queued in the transaction: other replicas hear of the messages only if they are committed.
        # No autoflush here, so a refused row still fails in the kit's commit (as ConstraintViolation).
        with self.session.no_autoflush:
            await notify_inboxes(self.session, self._recipients)
        await super().commit()
        recipients, deliveries = self._take_wake_ups()
        self.signals.committed(recipients=recipients, deliveries=deliveries)

    async def rollback(self) -> None:
        await super().rollback()
        self._take_wake_ups()


def uow_class_for(signals: Signals) -> type[SqlNotificationUnitOfWork]:
    """The unit of work class of one app: the runtime builds units of work from a class, so the app's
    signals are bound to a subclass rather than passed to each instance."""
    return type("AppNotificationUnitOfWork", (SqlNotificationUnitOfWork,), {"signals": signals})
