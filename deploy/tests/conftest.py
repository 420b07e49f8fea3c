"""deploy/ holds scripts, not a package: load them by path (pytest runs with --import-mode=importlib)."""

from __future__ import annotations

import sys
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[1]
if str(DEPLOY) not in sys.path:
    sys.path.insert(0, str(DEPLOY))
