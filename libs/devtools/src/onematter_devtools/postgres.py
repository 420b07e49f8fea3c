"""A throwaway PostgreSQL cluster for tests, from the machine's PostgreSQL server binaries.

The cluster lives in `/tmp/onematter-pg-<port>` by default: when we are root, PostgreSQL must run as
the `postgres` OS user (initdb and postgres refuse root), and that user often cannot traverse the
repository's parents (e.g. /root), while /tmp is open to everyone. Durability is switched off
(fsync, synchronous_commit, full_page_writes): the data is disposable, speed matters — unless the
cluster is ``durable``: the fault tests crash it (``crash``) and need production's durability, where a
commit the server acknowledged survives (issue 19).
"""

# ruff: noqa: S603 - every subprocess runs a fixed command line built here, no shell

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from onematter_devtools._process import InfraError, port_open, say, tail

__all__ = ["PostgresCluster", "find_bindir"]

_FAST = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")
_DURABLE = ("fsync=on", "synchronous_commit=on", "full_page_writes=on")  # PostgreSQL's own defaults
_SHARED = ("max_connections=300",)


def _bindir_candidates() -> list[Path]:
    found = []
    if pg_config := shutil.which("pg_config"):
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        found.append(Path(done.stdout.strip()))
    versions = Path("/usr/lib/postgresql").glob("*/bin")
    found += sorted(versions, key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.name)], reverse=True)
    return [p for p in found if (p / "postgres").is_file() and (p / "initdb").is_file()]


def find_bindir(*, install: bool = True) -> Path:
    """The folder of the PostgreSQL server binaries; installs the `postgresql` package if there is none."""
    if candidates := _bindir_candidates():
        return candidates[0]
    if not install or shutil.which("apt-get") is None:
        raise InfraError("PostgreSQL server binaries not found; install the `postgresql` package")
    say("PostgreSQL not found: installing it with apt-get ...")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "postgresql"]):
        subprocess.run(cmd, check=True, env=env)
    return find_bindir(install=False)


@dataclass(frozen=True)
class PostgresCluster:
    """One cluster on 127.0.0.1:`port`; `start` is idempotent, `stop` only stops this cluster."""

    port: int = 25432
    base_dir: Path | None = None
    #: Production durability (fsync, synchronous_commit, full_page_writes on) instead of speed.
    durable: bool = False

    @property
    def home(self) -> Path:
        if self.base_dir is not None:
            return Path(self.base_dir).resolve()
        return Path(f"/tmp/onematter-pg-{self.port}")  # noqa: S108 - see the module docstring

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def log_file(self) -> Path:
        return self.home / "postgres.log"

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self._exec([str(find_bindir() / tool), *args], check=check)

    def _exec(self, cmd: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        tool = Path(cmd[0]).name
        if os.geteuid() == 0:  # the server refuses to run as root
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if check and done.returncode != 0:
            log = f"--- {self.log_file}\n{tail(self.log_file)}"
            raise InfraError(f"{tool} failed:\n{done.stdout}{done.stderr}\n{log}")
        return done

    def _server_up(self) -> bool:
        if not self.data_dir.is_dir():
            return False
        return self._run("pg_ctl", "status", "-D", str(self.data_dir), check=False).returncode == 0

    def is_running(self) -> bool:
        return self._server_up() and port_open(self.port)

    def _init(self) -> None:
        if (self.data_dir / "PG_VERSION").exists():
            return
        self.home.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.home, "postgres", "postgres")
            if self._exec(["test", "-w", str(self.home)], check=False).returncode:
                raise InfraError(f"the postgres user cannot reach {self.home}; choose a base_dir under /tmp")
        say(f"Creating a throwaway PostgreSQL cluster in {self.data_dir} ...")
        self._run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )

    def start(self, *, timeout: float = 60.0) -> bool:
        """Start the cluster unless it already runs; True if this call started it."""
        if self.is_running():
            say(f"PostgreSQL already running at 127.0.0.1:{self.port} (reused)")
            return False
        if port_open(self.port):
            raise InfraError(f"port {self.port} is taken by another process")
        self._init()
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data_dir} " + " ".join(
            f"-c {setting}" for setting in (*(_DURABLE if self.durable else _FAST), *_SHARED)
        )
        say(f"Starting PostgreSQL at 127.0.0.1:{self.port} ...")
        self._run(
            "pg_ctl",
            "start",
            "-D",
            str(self.data_dir),
            "-l",
            str(self.log_file),
            "-w",
            "-t",
            str(int(timeout)),
            "-o",
            options,
        )
        self._wait_ready(timeout)
        return True

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self._run("pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port), check=False).returncode:
            if time.monotonic() > deadline:
                raise InfraError(f"PostgreSQL not ready after {timeout:.0f} s:\n{tail(self.log_file)}")
            time.sleep(0.3)
        say(f"PostgreSQL started at 127.0.0.1:{self.port}")

    def stop(self) -> bool:
        """Fast shutdown (rolls back open transactions); True if the cluster was running."""
        if not self._server_up():
            return False
        say(f"Stopping PostgreSQL at 127.0.0.1:{self.port} ...")
        self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "fast", "-w")
        return True

    def crash(self) -> bool:
        """Immediate shutdown: every server process quits at once, without a checkpoint and without
        rolling anything back, as in a crash; the next ``start`` recovers from the WAL. True if it ran."""
        if not self._server_up():
            return False
        say(f"Crashing PostgreSQL at 127.0.0.1:{self.port} (immediate shutdown) ...")
        self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "immediate", "-w")
        return True
