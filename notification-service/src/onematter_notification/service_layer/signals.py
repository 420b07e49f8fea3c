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

__all__ = ["InboxHub", "Signals"]


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
    """The process's wake-ups: new messages per inbox, and new deliveries for the delivery worker."""

    def __init__(self) -> None:
        self.inbox = InboxHub()
        self.deliveries = asyncio.Event()

    def committed(self, *, recipients: Iterable[str], deliveries: bool) -> None:
        self.inbox.publish(recipients)
        if deliveries:
            self.deliveries.set()
