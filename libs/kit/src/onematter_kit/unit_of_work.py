"""The unit of work: one database transaction, and the events it emits into the same transaction.

Nothing is written unless the handler calls :meth:`commit`; leaving the ``async with`` block without it
rolls back. Events emitted through :meth:`emit` become outbox rows of the same transaction, so a change
and its events are committed together or not at all.
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from types import TracebackType
from typing import Self

from onematter_clock import Clock, SystemClock
from onematter_events import CloudEvent, topic_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from onematter_kit.tables import OutboxMessage

__all__ = ["AbstractUnitOfWork", "ConstraintViolation", "SqlUnitOfWork"]


class ConstraintViolation(IntegrityError):
    """The database refused the commit: a unique, foreign-key or check constraint (typically a concurrent
    twin committed the same key first). Raised by :meth:`SqlUnitOfWork.commit`, so a handler can answer
    409 without importing SQLAlchemy; it is an ``IntegrityError`` too, for code that catches that."""


class AbstractUnitOfWork(abc.ABC):
    """What a handler sees: ``clock`` for "now" and "today" (China), ``emit`` events, then ``commit`` — or
    nothing happens."""

    clock: Clock

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.rollback()

    @abc.abstractmethod
    def emit(self, event: CloudEvent) -> None: ...

    @abc.abstractmethod
    async def commit(self) -> None: ...

    @abc.abstractmethod
    async def rollback(self) -> None: ...


class SqlUnitOfWork(AbstractUnitOfWork):
    """A SQLAlchemy session with an outbox. Services subclass it to add their repositories."""

    session: AsyncSession

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        topic_prefix: str = "",
        on_commit: Callable[[], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._session_factory = session_factory
        #: The service's clock: handlers read "now" and "today" (China) from it; events are stamped by it.
        self.clock: Clock = clock or SystemClock()
        self._topic_prefix = topic_prefix
        self._on_commit = on_commit
        self._emitted = 0

    async def __aenter__(self) -> Self:
        self.session = self._session_factory()
        self._emitted = 0
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            await self.rollback()
        finally:
            await self.session.close()

    def emit(self, event: CloudEvent) -> None:
        event = event.model_copy(update={"time": self.clock.now()})
        topic, key = topic_for(event, self._topic_prefix)
        self.session.add(
            OutboxMessage(
                event_id=event.id, event_type=event.type, topic=topic, key=key, payload=event.to_bytes()
            )
        )
        self._emitted += 1

    async def commit(self) -> None:
        """Commit the change and its events; :class:`ConstraintViolation` if a constraint refuses it."""
        try:
            await self.session.commit()
        except IntegrityError as exc:
            orig: BaseException = exc.orig if exc.orig is not None else exc
            raise ConstraintViolation(exc.statement, exc.params, orig) from exc
        if self._emitted and self._on_commit is not None:
            self._on_commit()  # wakes the relay now instead of at its next poll
        self._emitted = 0

    async def rollback(self) -> None:
        await self.session.rollback()
        self._emitted = 0
