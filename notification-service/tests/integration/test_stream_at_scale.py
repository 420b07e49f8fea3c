"""500 idle live streams cost the notification service almost nothing, and a new message still reaches
its stream within a second (issue 18: 500 idle streams took the polling service from 6 % to 72 % CPU).

The service runs as its own process, so the CPU time read from ``/proc/<pid>/stat`` is its own and not
the test's; the streams are raw loopback sockets, opened in bounded batches. The message is stored by a
second "replica" in the test process, so it reaches the service the way another replica's would: through
PostgreSQL NOTIFY, with no database polling anywhere.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from onematter_kit.identity import Role
from onematter_notification.config import NotificationSettings
from onematter_testkit import internal_headers, make_principal, random_id

from .conftest import free_port
from .streams import http_only, started, store

pytestmark = pytest.mark.integration
STREAMS = 500
BATCH = 25
IDLE_SECONDS = 5.0
#: "Stays low": a tenth of one core while idle (the polling service used 72 % of the machine).
MAX_IDLE_CPU_SHARE = 0.10
Reader = asyncio.StreamReader
Writer = asyncio.StreamWriter


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (``/proc/<pid>/stat`` fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _wait_until_serving(port: int, process: subprocess.Popen[bytes]) -> None:
    async with asyncio.timeout(120):  # importing FastAPI & co. is slow on a loaded machine
        while True:
            assert process.poll() is None, "the notification service exited"
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.1)  # not listening yet: a process start has no event to wait on
                continue
            writer.close()
            return  # uvicorn listens only once the app's startup (migrations, LISTEN) is done


@pytest.fixture
def service(fresh_database_url: str, tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """The notification service as its own process on a fresh database: ``(port, process)``."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database_url,
        "ENVIRONMENT": "test",
        "KAFKA_ENABLED": "false",
        "RUN_WORKERS": "false",
        "LOG_LEVEL": "WARNING",
        "LOG_JSON": "false",
        "SSE_MAX_STREAMS": str(STREAMS + 10),
    }
    command = [sys.executable, "-m", "uvicorn", "onematter_notification.entrypoints.app:create_app"]
    command += ["--factory", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    with (tmp_path / "notification.log").open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield port, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _open_stream(port: int, subject: str) -> tuple[Reader, Writer]:
    """A stream of ``subject`` on a raw socket, read up to its ``: connected`` comment."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    principal = make_principal(subject, Role.applicant)
    [(name, token)] = internal_headers(principal, audience="notification").items()
    writer.write(f"GET /api/v1/notifications/stream HTTP/1.1\r\nHost: n\r\n{name}: {token}\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head[:200]
    await reader.readuntil(b": connected\n")
    return reader, writer


async def _next_event_id(reader: Reader) -> int:
    while True:
        line = await reader.readline()
        assert line, "the stream ended"
        if line.startswith(b"id: "):
            return int(line[4:])


async def test_five_hundred_idle_streams_cost_little_cpu_and_a_new_message_arrives_within_a_second(
    service: tuple[int, subprocess.Popen[bytes]], settings: NotificationSettings, fresh_database_url: str
) -> None:
    port, process = service
    await _wait_until_serving(port, process)
    pid = process.pid
    subjects = [random_id("user") for _ in range(STREAMS)]
    streams: list[tuple[Reader, Writer]] = []
    try:
        for start in range(0, STREAMS, BATCH):
            batch = subjects[start : start + BATCH]
            streams += await asyncio.wait_for(
                asyncio.gather(*(_open_stream(port, s) for s in batch)), timeout=120
            )

        before, started_at = _cpu_seconds(pid), time.monotonic()
        await asyncio.sleep(IDLE_SECONDS)  # the interval measured: nothing happens in it by design
        share = (_cpu_seconds(pid) - before) / (time.monotonic() - started_at)
        print(f"\n{STREAMS} idle streams: {share:.1%} of a core over {IDLE_SECONDS:g} s")
        assert share < MAX_IDLE_CPU_SHARE, f"{STREAMS} idle streams used {share:.0%} of a core"

        async with started(http_only(settings, database_url=fresh_database_url)) as replica:
            chosen = STREAMS // 2
            sent_at = time.monotonic()
            seq = await store(replica, f"user:{subjects[chosen]}")
            received = await asyncio.wait_for(_next_event_id(streams[chosen][0]), timeout=10)
            latency = time.monotonic() - sent_at
        print(f"a new message arrived after {latency * 1000:.0f} ms")
        assert received == seq
        assert latency < 1.0, f"the message took {latency:.2f} s"
    finally:
        for _, writer in streams:
            writer.close()
