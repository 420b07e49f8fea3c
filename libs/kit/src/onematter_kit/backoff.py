"""One backoff for every loop that must outlive an outage (Kafka, the database, a webhook peer).

Workers (outbox relay, consumers, periodic jobs) run until cancelled; when their dependency is down they
wait ``initial``, then twice as long each failure up to ``maximum``, and start again at ``initial`` after a
success. Cancellation is never swallowed.

* :func:`retry` — call a step until it succeeds once (create the topics, apply one event);
* :func:`run_forever` — call a step again and again (poll, publish, consume).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

__all__ = ["Backoff", "retry", "run_forever"]

T = TypeVar("T")


@dataclass
class Backoff:
    """Exponential delays: ``initial``, ``2·initial``, … capped at ``maximum`` (seconds)."""

    initial: float = 0.2
    maximum: float = 10.0
    _current: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self._current = self.initial

    def reset(self) -> None:
        self._current = self.initial

    def next_delay(self) -> float:
        """The delay to wait now; the following one doubles (up to ``maximum``)."""
        delay = self._current
        self._current = min(self._current * 2, self.maximum)
        return delay

    async def wait(self) -> None:
        await asyncio.sleep(self.next_delay())


async def retry(
    step: Callable[[], Awaitable[T]],
    *,
    backoff: Backoff,
    log: logging.Logger,
    what: str,
    context: Mapping[str, object] | None = None,
) -> T:
    """Call ``step`` until it returns, and return its result; after each failure wait per ``backoff``.

    Each failure is logged at WARNING as ``what`` with the error's type and a short message (never the
    traceback's locals), the delay before the next attempt (``retry_in``, seconds) and ``context``.
    """
    while True:
        try:
            return await step()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            delay = backoff.next_delay()
            error = f"{type(exc).__name__}: {exc}"[:300]
            log.warning(what, extra={**(context or {}), "error": error, "retry_in": delay})
            await asyncio.sleep(delay)


async def run_forever(
    step: Callable[[], Awaitable[object]],
    *,
    every: float,
    backoff: Backoff,
    log: logging.Logger,
    what: str,
    context: Mapping[str, object] | None = None,
) -> None:
    """Call ``step`` every ``every`` seconds until cancelled; after a failure wait per ``backoff``.

    A success resets ``backoff``. Failures are logged as :func:`retry` logs them.
    """
    while True:
        await retry(step, backoff=backoff, log=log, what=what, context=context)
        backoff.reset()
        await asyncio.sleep(every)
