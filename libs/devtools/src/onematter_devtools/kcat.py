"""The machine's kcat (Debian package `kcat`), the Kafka client the department guide uses.

Installed with apt-get when missing, like Chromium for the browser tests (`onematter_devtools.chromium`).
"""

# ruff: noqa: S603, S607 - fixed command lines built here, no shell; apt-get is looked up on PATH

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from onematter_devtools._process import InfraError, say

__all__ = ["ensure_kcat"]


def ensure_kcat(*, install: bool = True) -> Path:
    """The path of `kcat`; installs the Debian package with apt-get if there is none (first without
    `apt-get update`, then after it). Raises `InfraError` when it is missing and cannot be installed."""
    if found := shutil.which("kcat"):
        return Path(found)
    if not install or shutil.which("apt-get") is None:
        raise InfraError("kcat not found; install the `kcat` package (apt-get install kcat)")
    say("kcat not found: installing it with apt-get ...")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "kcat"]
    if subprocess.run(command, env=env, check=False, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update"], check=True, env=env, capture_output=True)
        subprocess.run(command, check=True, env=env, capture_output=True)
    return ensure_kcat(install=False)
