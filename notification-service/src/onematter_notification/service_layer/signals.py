"""In-process wake-ups: SSE streams learn of new messages, workers of new work, right after a commit.

SSE streams never poll: they wait on :class:`InboxHub`, which is fed after each commit in this process
(the unit of work, on the consumer's and the API's paths) and, for messages another replica stored, by
PostgreSQL LISTEN/NOTIFY (:mod:`onematter_notification.adapters.wakeups`); after the listener lost its
connection every stream is woken once and reads what it missed. Workers still poll every
``worker_poll_seconds`` besides being woken, so a wake-up lost in a crash only delays them.
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

    def publish_all(self) -> None:
        """Wake every stream (after wake-ups may have been lost: each reads what it missed)."""
        for listeners in self._listeners.values():
            for wake in listeners:
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
