"""One backoff for every worker loop that must outlive an outage (Kafka, the database, a webhook peer).

Workers (outbox relay, consumers, periodic jobs) run until cancelled; when their dependency is down they
wait ``initial``, then twice as long each failure up to ``maximum``, and start again at ``initial`` after a
success. Cancellation is never swallowed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

__all__ = ["Backoff", "run_forever"]


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


async def run_forever(
    step: Callable[[], Awaitable[object]],
    *,
    every: float,
    backoff: Backoff,
    log: logging.Logger,
    what: str,
) -> None:
    """Call ``step`` every ``every`` seconds until cancelled; after a failure wait per ``backoff``.

    The failure is logged as ``what`` with its type and a short message (never the traceback's locals).
    """
    while True:
        try:
            await step()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning(what, extra={"error": f"{type(exc).__name__}: {exc}"[:300]})
            await backoff.wait()
            continue
        backoff.reset()
        await asyncio.sleep(every)
