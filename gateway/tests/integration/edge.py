"""The gateway as its own process (``python -m onematter_gateway``), spoken to on raw loopback sockets.

Its own process, so that its memory (RSS, from ``/proc``) is its own and not the test's. No backend:
every limit is enforced before a request would be forwarded (401 without a token, the gateway's own
routes). Loops are bounded in count and time; only loopback addresses are used (127.0.0.x: the whole
of 127.0.0.0/8 is the loopback interface on Linux, so a second "client address" needs no setup).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import free_port


@dataclass
class EdgeGateway:
    port: int
    pid: int

    def rss_mib(self) -> float:
        """The gateway process's resident memory now, in MiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS")

    async def connect(self, source: str = "127.0.0.1") -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection("127.0.0.1", self.port, local_addr=(source, 0))


def _wait_until_serving(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120  # importing FastAPI & co. takes half a minute on a loaded machine
    while time.monotonic() < deadline:
        assert process.poll() is None, "the gateway exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nhost: gw\r\n\r\n")
                if sock.recv(100).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            time.sleep(0.1)  # not listening yet: a process start has no event to wait on
    raise AssertionError("the gateway did not start")


@pytest.fixture
def edge_gateway(tmp_path: Path) -> Iterator[object]:
    """``edge_gateway(**settings)`` → a running :class:`EdgeGateway`; stopped at the end of the test."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(**settings: object) -> EdgeGateway:
        port = free_port()
        env = {
            **os.environ,
            "LOG_LEVEL": "WARNING",
            "ENVIRONMENT": "test",
            **{
                name.upper(): value if isinstance(value, str) else json.dumps(value)
                for name, value in settings.items()
            },
        }
        log = (tmp_path / f"gateway-{port}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "onematter_gateway", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        _wait_until_serving(port, process)
        return EdgeGateway(port, process.pid)

    yield start
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)


async def read_answer(reader: asyncio.StreamReader, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:  # noqa: ASYNC109
    """One response with a content-length body."""
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    status_line, *lines = head.decode().split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines if line)
    body = await asyncio.wait_for(reader.readexactly(int(headers.get("content-length", "0"))), timeout)
    return int(status_line.split()[1]), headers, body


async def closed_by_peer(reader: asyncio.StreamReader, timeout: float) -> bool:  # noqa: ASYNC109
    """Whether the gateway closes the connection within ``timeout`` (what it still sends is dropped)."""
    try:
        async with asyncio.timeout(timeout):
            while await reader.read(65536):
                pass
    except TimeoutError:
        return False
    except ConnectionError:
        return True
    return True


def problem(body: bytes) -> str:
    """The problem type's slug."""
    return str(json.loads(body)["type"]).rsplit("/", 1)[1]
