"""Fault injection for the fault tests (issue 19): a crash at an exact moment, not left to chance.

A test starts a service with ``FAULT_INJECT=<point>``; the runtime arms that point at start-up
(:func:`arm`), and the process kills itself with SIGKILL — no ``finally``, no shutdown hooks, exactly
like ``kill -9`` — the first time the code reaches :func:`reach` with that name. Production refuses the
setting (``ServiceSettings``, like ``CLOCK_AS_OF``); an unknown point is refused at start-up too, so a
typo cannot make a fault test pass without the crash it meant.

The points are the windows that at-least-once delivery must survive:

* ``outbox.acknowledged`` — the relay: Kafka acknowledged a batch, its rows are not marked sent yet.
* ``consumer.committed`` — a consumer: the event's effect and its id committed, the offset not yet.
* ``webhook.answered`` — the notification service: the receiver answered a webhook delivery, the
  answer is not recorded yet.
* ``upload.blob_written`` — the material service: an upload's blob is at its content address, its
  row is not committed yet.
"""

from __future__ import annotations

import os
import signal

from onematter_kit.errors import ConfigurationError

__all__ = ["POINTS", "arm", "armed", "reach"]

POINTS = frozenset({"outbox.acknowledged", "consumer.committed", "webhook.answered", "upload.blob_written"})

# One process, one armed point: set once at start-up by the runtime, read by ``reach``.
_state: dict[str, str | None] = {"armed": None}


def arm(point: str | None) -> None:
    """Arm ``point`` for this process (``None`` disarms). Raises ``ConfigurationError`` for an unknown one."""
    if point is not None and point not in POINTS:
        raise ConfigurationError(f"FAULT_INJECT={point!r} is not one of {', '.join(sorted(POINTS))}")
    _state["armed"] = point


def armed() -> str | None:
    """The point armed in this process, if any."""
    return _state["armed"]


def reach(point: str) -> None:
    """Called at ``point``: kills this process with SIGKILL if that point is armed, else does nothing."""
    if _state["armed"] == point:
        os.kill(os.getpid(), signal.SIGKILL)
