"""In-process wake-ups: SSE streams learn of new messages, workers of new work, right after a commit.

These only shorten the wait; correctness never depends on them. Every waiter also polls the database
(SSE every ``sse_poll_seconds``, workers every ``worker_poll_seconds``), so messages written by another
replica, or a wake-up lost in a crash, are still picked up.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from onematter_kit.unit_of_work import SqlUnitOfWork

__all__ = ["InboxHub", "NotificationUnitOfWork", "Signals"]


class InboxHub:
    """Publish/subscribe by inbox address, within one process and event loop."""

    def __init__(self) -> None:
        self._listeners: dict[str, set[asyncio.Event]] = defaultdict(set)

    @contextmanager
    def listen(self, inboxes: Iterable[str]) -> Iterator[asyncio.Event]:
        """An event set whenever a message for one of ``inboxes`` was committed; the caller clears it."""
        wake = asyncio.Event()
        addresses = list(inboxes)
        for address in addresses:
            self._listeners[address].add(wake)
        try:
            yield wake
        finally:
            for address in addresses:
                self._listeners[address].discard(wake)
                if not self._listeners[address]:
                    del self._listeners[address]

    def publish(self, recipients: Iterable[str]) -> None:
        for recipient in recipients:
            for wake in self._listeners.get(recipient, ()):
                wake.set()


class Signals:
    def __init__(self) -> None:
        self.inbox = InboxHub()
        self.deliveries = asyncio.Event()


class NotificationUnitOfWork(SqlUnitOfWork):
    """The kit's unit of work, plus wake-ups sent only after the transaction committed."""

    signals: Signals = Signals()  # replaced per app by a subclass made in ``create_app``

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._recipients: set[str] = set()
        self._new_deliveries = False

    def message_added(self, recipient: str) -> None:
        self._recipients.add(recipient)

    def delivery_added(self) -> None:
        self._new_deliveries = True

    async def commit(self) -> None:
        await super().commit()
        recipients, self._recipients = self._recipients, set()
        self.signals.inbox.publish(recipients)
        if self._new_deliveries:
            self.signals.deliveries.set()
        self._new_deliveries = False

    async def rollback(self) -> None:
        await super().rollback()
        self._recipients.clear()
        self._new_deliveries = False
