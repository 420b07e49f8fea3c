"""The outbox relay's publishing lock: one replica of a service publishes at a time (issue 19).

Per-key order on Kafka needs a single producer. The replica holding the session-level advisory lock
:data:`OUTBOX_RELAY_LOCK` on its service's PostgreSQL database publishes, and publishes on the very
connection that holds it, so a relay whose connection died cannot publish at all. The others try the lock
at each poll of their relay (setting ``OUTBOX_POLL_SECONDS``, 1 s by default) and take over when the
holder stops (:meth:`PublishingLock.release`) or dies (PostgreSQL ends the session when the connection
drops; against a host that vanishes without closing it, set TCP keepalives on the server). The holder keeps
one connection of its pool for as long as it holds the lock.
"""

from __future__ import annotations

import contextlib
import logging

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

__all__ = ["OUTBOX_RELAY_LOCK", "PublishingLock"]

log = logging.getLogger("onematter.outbox")
#: Advisory lock key of the publishing relay (any constant unique within a service's database). Earlier
#: relays took it per batch (``pg_try_advisory_xact_lock``), so old and new replicas exclude each other.
OUTBOX_RELAY_LOCK = 0x0E_7A11_0B0C


class PublishingLock:
    """The lock on ``engine``'s database, and the connection that holds it while held."""

    def __init__(self, engine: AsyncEngine, *, key: int = OUTBOX_RELAY_LOCK) -> None:
        self._engine, self._key = engine, key
        self._holder: AsyncConnection | None = None
        self._pid = 0  # the holding session's backend: SQLAlchemy silently reconnects an invalidated one

    @property
    def held(self) -> bool:
        return self._holder is not None

    async def connection(self) -> AsyncConnection | None:
        """The connection holding the lock: kept while held, taken if the lock is free, else None."""
        if self._holder is not None and not self._holder.invalidated:
            return self._holder
        await self.release()
        connection = await self._engine.connect()
        try:
            query = select(func.pg_try_advisory_lock(self._key), func.pg_backend_pid())
            won, self._pid = (await connection.execute(query)).one()
            await connection.commit()  # the lock is the session's; no transaction stays open
        except BaseException:
            await connection.close()
            raise
        if not won:
            await connection.close()
            return None
        log.info("this outbox relay publishes (holds the relay lock)")
        self._holder = connection
        return connection

    async def still_held(self, session: AsyncSession) -> bool:
        """Whether ``session`` (on the holding connection) is still the session that took the lock; if
        not (the connection was lost and replaced underneath), the lock is let go and False returned."""
        pid = (await session.execute(select(func.pg_backend_pid()))).scalar_one()
        if pid == self._pid:
            return True
        log.warning("the outbox relay lock's session was lost; this relay stops publishing")
        await self.release()
        return False

    async def check(self) -> None:
        """After a failure: keep the lock if its connection is intact and still answers, else let it go."""
        if self._holder is None:
            return
        if self._holder.invalidated:
            await self.release()
            return
        try:
            await self._holder.execute(select(1))
            await self._holder.rollback()
        except Exception:
            await self.release()

    async def release(self) -> None:
        """End the holding session, and the lock with it (a broken connection is discarded, not pooled)."""
        holder, self._holder = self._holder, None
        if holder is None:
            return
        with contextlib.suppress(Exception):
            await holder.invalidate()
        with contextlib.suppress(Exception):
            await holder.close()
        log.info("this outbox relay stopped publishing (released the relay lock)")
