"""Deadlines for many futures checked by one timer (the proxy hop's response-head deadlines)."""

from __future__ import annotations

import asyncio

__all__ = ["Deadlines"]

_TICK = 0.1  # seconds between checks of the deadlines


class Deadlines:
    """The response-head deadlines of one pool, checked every ``_TICK`` seconds by one timer rather than
    a timer per request (creating and cancelling a timer costs more than the rest of the hop's Python).
    A deadline is therefore kept to within ``_TICK``."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._pending: dict[asyncio.Future[None], float] = {}
        self._armed = False

    async def wait(self, future: asyncio.Future[None], timeout: float | None) -> None:  # noqa: ASYNC109
        """``await future``, failing with TimeoutError after ``timeout`` (None: no limit)."""
        if timeout is None:
            await future
            return
        self._pending[future] = self.loop.time() + timeout
        if not self._armed:
            self._armed = True
            self.loop.call_later(_TICK, self._tick)
        try:
            await future
        finally:
            del self._pending[future]

    def _tick(self) -> None:
        now = self.loop.time()
        for future, deadline in list(self._pending.items()):
            if deadline <= now and not future.done():
                future.set_exception(TimeoutError())
        self._armed = bool(self._pending)
        if self._armed:
            self.loop.call_later(_TICK, self._tick)
