"""Process and port helpers shared by the infrastructure modules."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
from pathlib import Path

__all__ = ["InfraError", "pid_alive", "port_open", "read_pid", "say", "tail", "terminate_group"]


class InfraError(RuntimeError):
    """Infrastructure could not be provided; the message says why (with log lines when there are some)."""


def say(message: str) -> None:
    """Progress goes to stderr, so stdout stays machine-readable (`eval "$(... infra up)"`)."""
    print(message, file=sys.stderr, flush=True)


def pid_alive(pid: int) -> bool:
    """True if `pid` runs and is not a zombie (a zombie child of ours is reaped here)."""
    with contextlib.suppress(ChildProcessError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    with contextlib.suppress(OSError):
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def read_pid(pid_file: Path) -> int | None:
    """The pid in `pid_file` if that process is alive, else None."""
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) else None


def port_open(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=timeout):
        return True
    return False


def terminate_group(pid: int, *, timeout: float = 10.0) -> None:
    """SIGTERM the process group led by `pid`, wait up to `timeout` s, then SIGKILL it."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not pid_alive(pid):
                return
            time.sleep(0.1)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no log at {path})"


#: Ports this process handed out: the kernel may offer a just-closed port again, and two services of one
#: stack given the same port make one of them fail to bind (a fault run saw the catalog answer for
#: acceptance).
_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (another process may still take it), never
    one this process handed out before."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port
