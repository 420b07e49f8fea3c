"""Fakes of the project's own interfaces (never of Kafka or the database in integration tests)."""

from __future__ import annotations

from onematter_events import CloudEvent
from onematter_kit.unit_of_work import AbstractUnitOfWork

__all__ = ["FakeUnitOfWork"]


class FakeUnitOfWork(AbstractUnitOfWork):
    """Records what a handler did: ``committed`` and the ``emitted`` events that were committed."""

    def __init__(self) -> None:
        self.committed = False
        self.emitted: list[CloudEvent] = []
        self._pending: list[CloudEvent] = []

    def emit(self, event: CloudEvent) -> None:
        self._pending.append(event)

    async def commit(self) -> None:
        self.emitted.extend(self._pending)
        self._pending.clear()
        self.committed = True

    async def rollback(self) -> None:
        self._pending.clear()
