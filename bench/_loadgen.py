"""Starting the measured servers and driving load at them, for ``gateway_overhead.py``.

Load: ``wrk`` (one thread) with a Lua script that puts the next of many users' tokens on each request,
or ``_pyload.py`` in its own process when wrk is missing. Both bounded in time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["python_load", "run_wrk", "spawn", "wrk_path"]

#: Cycles through the tokens file, one token per request (wrk runs ``request`` for every request).
_LUA = """
local tokens, i = {}, 0
for line in io.lines(os.getenv("BENCH_TOKENS")) do tokens[#tokens + 1] = line end
local header, prefix = os.getenv("BENCH_HEADER"), os.getenv("BENCH_PREFIX")
request = function()
  i = i % #tokens + 1
  return wrk.format("GET", nil, {[header] = prefix .. tokens[i]})
end
"""


def spawn(script: str, kind: str, port: int, backend_url: str, tokens: str) -> subprocess.Popen[bytes]:
    """``script --serve kind`` as a process; returns once it accepts connections (and wrote its tokens)."""
    cmd = [sys.executable, script, "--serve", kind, "--port", str(port), "--backend-url", backend_url]
    process = subprocess.Popen([*cmd, "--tokens", tokens], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180  # signing 1,000 tokens takes a minute on a loaded machine
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            if process.poll() is not None:
                error = process.stderr.read().decode() if process.stderr else ""
                raise SystemExit(f"{kind} died: {error}") from None
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{kind} did not start")


def wrk_path() -> str | None:
    if path := shutil.which("wrk"):
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
    return shutil.which("wrk")


def run_wrk(
    wrk: str, url: str, header: str, prefix: str, tokens: Path, *, connections: int, duration: int
) -> dict[str, float]:
    script = tokens.with_suffix(".lua")
    script.write_text(_LUA)
    env = {**os.environ, "BENCH_TOKENS": str(tokens), "BENCH_HEADER": header, "BENCH_PREFIX": prefix}
    out = subprocess.run(
        [
            wrk,
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            "5s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=duration + 30,
        check=True,
        env=env,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),  # type: ignore[union-attr]
        "p99_ms": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),  # type: ignore[union-attr]
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def python_load(
    url: str, header: str, prefix: str, tokens: Path, *, connections: int, duration: int
) -> dict[str, float]:
    code = Path(__file__).with_name("_pyload.py")
    out = subprocess.run(
        [sys.executable, str(code), url, header, prefix, str(tokens), str(connections), str(duration)],
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    ).stdout
    return dict(json.loads(out))
