"""Phase timings of the compose test, listed in the run's closing summary (deploy/tests/conftest.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["PHASES", "timed"]

#: (phase, seconds) in the order they ran.
PHASES: list[tuple[str, float]] = []


@contextmanager
def timed(phase: str) -> Iterator[None]:
    start = time.monotonic()
    try:
        yield
    finally:
        PHASES.append((phase, time.monotonic() - start))
