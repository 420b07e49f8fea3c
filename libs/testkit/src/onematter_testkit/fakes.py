"""Fakes of the project's own interfaces (never of Kafka or the database in integration tests)."""

from __future__ import annotations

from datetime import UTC, datetime

from onematter_clock import Clock, FixedClock
from onematter_events import CloudEvent
from onematter_kit.unit_of_work import AbstractUnitOfWork

__all__ = ["FIXED_NOW", "FakeUnitOfWork"]

#: The default "now" of a fake unit of work: Monday 5 January 2026, 09:00 in Beijing (a working day).
FIXED_NOW = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


class FakeUnitOfWork(AbstractUnitOfWork):
    """Records what a handler did: ``committed`` and the ``emitted`` events that were committed.

    Services subclass it and add fake repositories. ``clock`` is a :class:`FixedClock` (at
    :data:`FIXED_NOW` unless given) and stamps emitted events, as the real unit of work does.
    """

    def __init__(self, *, clock: Clock | None = None) -> None:
        self.clock = clock or FixedClock(FIXED_NOW)
        self.committed = False
        self.emitted: list[CloudEvent] = []
        self._pending: list[CloudEvent] = []

    def emit(self, event: CloudEvent) -> None:
        self._pending.append(event.model_copy(update={"time": self.clock.now()}))

    async def commit(self) -> None:
        self.emitted.extend(self._pending)
        self._pending.clear()
        self.committed = True

    async def rollback(self) -> None:
        self._pending.clear()
