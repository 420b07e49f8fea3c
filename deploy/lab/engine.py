"""A Docker engine of our own: its own data root, socket and pid file, stopped by its pid.

Debian's ``docker.io`` (dockerd 20.10 with containerd and runc, a CLI with BuildKit built in) and
``docker-compose`` 1.29 are installed with apt-get when missing (root only). The engine never touches a
system engine: it listens on a socket under its exec root and is reached with ``DOCKER_HOST``. On stop
it is sent SIGTERM (it stops its containers), and the ``docker0`` bridge is deleted if it created it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PACKAGES", "EngineError", "PrivateEngine", "cache_root", "ensure_packages"]

#: Debian packages and the commands that show they are installed.
PACKAGES = {"docker.io": "/usr/sbin/dockerd", "docker-compose": "/usr/bin/docker-compose"}
#: Debian's 20.10 CLI has BuildKit built in; a newer CLI elsewhere on PATH may lack buildx.
DOCKER_CLI = "/usr/bin/docker"


class EngineError(RuntimeError):
    """The engine could not be installed, started or reached."""


def cache_root() -> Path:
    return Path(os.environ.get("ONEMATTER_CACHE") or Path.home() / ".cache/onematter") / "docker"


def _run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]  # noqa: S603


def ensure_packages(extra: dict[str, str] | None = None) -> list[str]:
    """apt-get installs the packages whose command is missing; returns what it installed."""
    wanted = {**PACKAGES, **(extra or {})}
    missing = [package for package, command in wanted.items() if not Path(command).exists()]
    if not missing:
        return []
    if os.geteuid() != 0:
        raise EngineError(f"{', '.join(missing)} missing and not root: apt-get install {' '.join(missing)}")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    update = _run(["apt-get", "update"], env=environment, timeout=600)
    install = _run(
        ["apt-get", "install", "-y", "--no-install-recommends", *missing], env=environment, timeout=1200
    )
    if install.returncode != 0:
        raise EngineError(f"apt-get install {missing} failed:\n{(update.stderr + install.stderr)[-3000:]}")
    return missing


def _bridge_exists(name: str = "docker0") -> bool:
    return Path(f"/sys/class/net/{name}").exists()


@dataclass
class PrivateEngine:
    """``start()`` then ``env()`` for the client; ``stop()`` always (it is safe to call twice)."""

    data_root: Path = field(default_factory=lambda: cache_root() / "data")
    exec_root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="omd-", dir="/tmp")))
    process: subprocess.Popen[bytes] | None = None
    created_bridge: bool = False

    @property
    def socket(self) -> Path:
        return self.exec_root / "docker.sock"

    @property
    def pid_file(self) -> Path:
        # Beside the data root, so a run that died is found and stopped by the next one.
        return self.data_root.parent / "dockerd.pid"

    def env(self) -> dict[str, str]:
        """The environment for docker, docker-compose and make: this engine, BuildKit, the 20.10 CLI.

        docker-compose 1.29 then runs ``exec``/``run`` through that CLI, which passes stdin on (its own
        API client does not: a restore piped into ``exec -T`` would wait forever)."""
        path = f"{Path(DOCKER_CLI).parent}:{os.environ.get('PATH', '')}"
        return {
            **os.environ,
            "DOCKER_HOST": f"unix://{self.socket}",
            "PATH": path,
            "DOCKER_BUILDKIT": "1",
            "COMPOSE_DOCKER_CLI_BUILD": "1",
            # docker-compose 1.29 gives up on an engine call after 60 s; a loaded 2-core machine needs more.
            "COMPOSE_HTTP_TIMEOUT": "300",
        }

    def docker(self, *args: str, timeout: float = 600, **kwargs: object) -> subprocess.CompletedProcess[str]:
        return _run([DOCKER_CLI, *args], env=self.env(), timeout=timeout, **kwargs)

    def start(self, *, timeout: float = 120) -> None:
        self._stop_leftover()
        self.data_root.mkdir(parents=True, exist_ok=True)
        self.created_bridge = not _bridge_exists()
        log = (self.data_root.parent / "dockerd.log").open("wb")
        self.process = subprocess.Popen(  # noqa: S603 — fixed argv
            [
                "/usr/sbin/dockerd",
                "--data-root",
                str(self.data_root),
                "--exec-root",
                str(self.exec_root),
                "--host",
                f"unix://{self.socket}",
                "--pidfile",
                str(self.pid_file),
                "--storage-driver",
                "overlay2",
                "--log-level",
                "warn",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while self.docker("version", timeout=10).returncode != 0:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise EngineError(f"dockerd did not start; see {self.data_root.parent / 'dockerd.log'}")
            time.sleep(0.5)

    def _stop_leftover(self) -> None:
        """Stops a dockerd that an earlier, interrupted run of this engine left on this data root."""
        try:
            pid = int(self.pid_file.read_text())
            if Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].endswith(b"dockerd"):
                os.kill(pid, signal.SIGTERM)
                _wait_gone(pid, 60)
        except (OSError, ValueError):
            pass

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # dockerd stops its containers and its containerd first
            try:
                self.process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        self.process = None
        if self.created_bridge and _bridge_exists():
            _run(["ip", "link", "delete", "docker0"], timeout=30)
        shutil.rmtree(self.exec_root, ignore_errors=True)


def _wait_gone(pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    if Path(f"/proc/{pid}").exists():
        os.kill(pid, signal.SIGKILL)
