"""Wake-ups between replicas through PostgreSQL LISTEN/NOTIFY, so no stream polls the database.

* :func:`notify_inboxes` queues ``NOTIFY onematter_inbox`` in the writer's transaction: PostgreSQL
  delivers it to every listening replica when that transaction commits and drops it on a rollback.
  The payload is the inbox addresses, one per line, in chunks under PostgreSQL's 8000-byte limit.
* :class:`InboxListener` holds one connection per process on ``LISTEN onematter_inbox`` and hands each
  notification's addresses to a callback. After a lost connection it reconnects with the kit's backoff
  and calls ``on_reconnect`` (wake every stream: notifications sent while it was away are gone).

SQLite (``make run``) is one process: the in-process signal is enough and nothing here runs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Iterator
from typing import Any

from onematter_kit.backoff import Backoff
from onematter_kit.database import is_postgres
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

__all__ = ["CHANNEL", "InboxListener", "notify_inboxes"]

CHANNEL = "onematter_inbox"
_PAYLOAD_LIMIT = 7900  # bytes; PostgreSQL refuses payloads of 8000 or more
log = logging.getLogger("onematter.notification.wakeups")


def _payloads(recipients: Collection[str]) -> Iterator[str]:
    chunk: list[str] = []
    size = 0
    for address in sorted(recipients):
        length = len(address.encode()) + 1
        if chunk and size + length > _PAYLOAD_LIMIT:
            yield "\n".join(chunk)
            chunk, size = [], 0
        chunk.append(address)
        size += length
    if chunk:
        yield "\n".join(chunk)


async def notify_inboxes(session: AsyncSession, recipients: Collection[str]) -> None:
    """Queue the notification in ``session``'s open transaction (PostgreSQL only; a no-op on SQLite)."""
    if not recipients or not is_postgres(session.get_bind()):
        return
    for payload in _payloads(recipients):
        notify = text("SELECT pg_notify(:channel, :payload)")
        await session.execute(notify, {"channel": CHANNEL, "payload": payload})


class InboxListener:
    """``LISTEN`` on a connection of ``engine``'s pool (held while running); run :meth:`run` as a task and
    cancel it to stop. ``on_addresses`` gets each notification's addresses; both callbacks run on the
    event loop and must not block."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        on_addresses: Callable[[list[str]], None],
        on_reconnect: Callable[[], None],
    ) -> None:
        self._engine = engine
        self._on_addresses, self._on_reconnect = on_addresses, on_reconnect
        self.listening = asyncio.Event()  # set while LISTEN is in force (tests wait for it)

    def _deliver(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        self._on_addresses([address for address in payload.split("\n") if address])

    async def run(self) -> None:
        """Listen until cancelled; a lost connection is replaced after the backoff's delay."""
        backoff = Backoff(initial=0.2, maximum=10.0)
        first = True
        while True:
            try:
                await self._listen_once(reconnected=not first)
                backoff.reset()  # the connection was lost after it had worked
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("inbox listener failed", extra={"error": f"{type(exc).__name__}: {exc}"[:300]})
            first = False
            self.listening.clear()
            await backoff.wait()

    async def _listen_once(self, *, reconnected: bool) -> None:
        """One connection: LISTEN, then wait until asyncpg reports it terminated."""
        async with self._engine.connect() as connection:
            raw = (await connection.get_raw_connection()).driver_connection
            assert raw is not None
            lost = asyncio.Event()
            raw.add_termination_listener(lambda _c: lost.set())
            await raw.add_listener(CHANNEL, self._deliver)
            self.listening.set()
            if reconnected:
                self._on_reconnect()
            try:
                await lost.wait()
            finally:
                if not raw.is_closed():
                    await raw.remove_listener(CHANNEL, self._deliver)
