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

    def wait(self, future: asyncio.Future[None], timeout: float | None) -> asyncio.Future[None]:
        """``future``, to be awaited: it fails with TimeoutError after ``timeout`` (None: no limit).

        Not a coroutine (one frame less per request): the deadline is noted and the future returned;
        the timer forgets futures that are done, however they ended (answered, failed, cancelled)."""
        if timeout is not None:
            self._pending[future] = self.loop.time() + timeout
            if not self._armed:
                self._armed = True
                self.loop.call_later(_TICK, self._tick)
        return future

    def _tick(self) -> None:
        now = self.loop.time()
        pending = self._pending
        for future, deadline in list(pending.items()):
            if future.done():
                del pending[future]
            elif deadline <= now:
                del pending[future]
                future.set_exception(TimeoutError())
        self._armed = bool(pending)
        if self._armed:
            self.loop.call_later(_TICK, self._tick)
