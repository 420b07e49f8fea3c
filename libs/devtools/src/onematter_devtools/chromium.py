"""The machine's Chromium for the browser tests (Playwright drives it through `executable_path`).

Browsers are never downloaded by Playwright here (`playwright install` fetches builds from a CDN that
this project's machines cannot reach): the Debian `chromium` package is used instead, installed with
apt-get when missing, with `fonts-noto-cjk` so Chinese pages render as text in screenshots, not boxes.
"""

# ruff: noqa: S603, S607 - fixed command lines built here, no shell; apt-get is looked up on PATH

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from onematter_devtools._process import InfraError, say

__all__ = ["ensure_chromium", "find_chromium"]

_NAMES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome")
_PACKAGES = ["chromium", "fonts-noto-cjk"]


def find_chromium() -> Path | None:
    """`$CHROMIUM_PATH` if set, else the first Chromium or Chrome on PATH (or in /usr/bin), else None."""
    if explicit := os.environ.get("CHROMIUM_PATH"):
        return Path(explicit) if Path(explicit).is_file() else None
    for name in _NAMES:
        if found := shutil.which(name) or shutil.which(name, path="/usr/bin"):
            return Path(found)
    return None


def ensure_chromium(*, install: bool = True) -> Path:
    """The path of a Chromium binary; installs `chromium` and `fonts-noto-cjk` with apt-get if there is none.

    The install is tried first without `apt-get update` (fast when the package lists are fresh) and
    again after it. Raises `InfraError` when there is no Chromium and it cannot be installed.
    """
    if (found := find_chromium()) is not None:
        return found
    if not install or shutil.which("apt-get") is None:
        raise InfraError("Chromium not found; install the `chromium` package (and `fonts-noto-cjk`)")
    say("Chromium not found: installing it with apt-get ...")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", *_PACKAGES]
    if subprocess.run(command, env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update"], check=True, env=env)
        subprocess.run(command, check=True, env=env)
    return ensure_chromium(install=False)
