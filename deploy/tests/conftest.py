"""deploy/ holds scripts, not a package: load them by path (pytest runs with --import-mode=importlib)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

DEPLOY = Path(__file__).resolve().parents[1]
if str(DEPLOY) not in sys.path:
    sys.path.insert(0, str(DEPLOY))

from lab.timing import PHASES  # noqa: E402 — needs the path above


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The compose test's phases and total, so `make test` shows its cold or warm time."""
    if PHASES:
        terminalreporter.section("compose test: time per phase")
        for phase, seconds in PHASES:
            terminalreporter.write_line(f"{seconds:7.1f} s  {phase}")
        terminalreporter.write_line(f"{sum(s for _, s in PHASES):7.1f} s  in all")
