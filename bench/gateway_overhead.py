"""How much the gateway costs: one authenticated GET straight to a service and through the gateway.

Run: ``python bench/gateway_overhead.py`` (``--duration 10 --connections 32``). It starts, each as its own
process with one uvicorn worker (uvloop + httptools): a trivial FastAPI service behind the internal-token
middleware (what every OneMatter service has), and the gateway with its real JWT verification, policy,
rate limits, internal-token signing and JSON access log in front of it, served the way
``python -m onematter_gateway`` serves it (its own protocol class: ``/api/...`` on the fast path);
``BENCH_GATEWAY_ASGI=1`` measures the plain ASGI path instead (``uvicorn --factory``, as in
``deploy/``). The load generator is ``wrk`` (installed with apt-get when missing and possible) or,
failing that, a Python load generator in its own process — its absolute numbers are lower, the ratio
still means something. Both runs are bounded in time and count.
The goal (issue 7): gateway ≥ 70 % of direct throughput and ≤ 3 ms added at p99 with 32 connections.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROUTE = "/api/v1/bench/ping"
SECRET = "bench-internal-token-secret-0123456789abcdef"  # noqa: S105 — a throwaway for local processes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the two servers (run as subprocesses of this script) ----------------------------------------------


def backend_app():  # type: ignore[no-untyped-def]
    from fastapi import FastAPI
    from onematter_kit.internal_auth import InternalAuthMiddleware

    app = FastAPI()

    @app.get(ROUTE)
    async def ping() -> dict[str, bool]:
        return {"ok": True}

    app.add_middleware(InternalAuthMiddleware, secret=SECRET, audience="matter-catalog")
    return app


def gateway_app(backend_url: str):  # type: ignore[no-untyped-def]
    from onematter_gateway.config import GatewaySettings
    from onematter_gateway.domain.policy import RoutePolicy, rule
    from onematter_gateway.entrypoints.app import create_app
    from onematter_kit.identity import Role

    # Rate limits far above the load: this measures cost, not the limiter saying no.
    # Access logs stay on (INFO, JSON to /dev/null): they are part of the gateway's real cost.
    settings = GatewaySettings(
        catalog_url=backend_url,
        internal_token_secret=SECRET,
        log_level=os.environ.get("BENCH_LOG_LEVEL", "INFO"),
        rate_limit_identity_per_second=1e9,
        rate_limit_identity_burst=10**9,
        rate_limit_ip_per_second=1e9,
        rate_limit_ip_burst=10**9,
    )
    return create_app(settings, policy=RoutePolicy([rule("GET", ROUTE, "matter-catalog", Role.applicant)]))


def serve(kind: str, port: int, backend_url: str) -> None:
    import uvicorn

    if kind == "gateway" and not os.environ.get("BENCH_GATEWAY_ASGI"):
        # As `python -m onematter_gateway` runs it: uvicorn with the gateway's protocol (the fast path).
        from onematter_gateway.entrypoints.server import run

        run(
            gateway_app(backend_url),
            host="127.0.0.1",
            port=port,
            limit_concurrency=2000,
            forwarded_allow_ips=None,
        )
        return
    app = backend_app() if kind == "backend" else gateway_app(backend_url)
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
        timeout_keep_alive=5,
        proxy_headers=False,
    )


def spawn(kind: str, port: int, backend_url: str = "") -> subprocess.Popen[bytes]:
    cmd = [sys.executable, __file__, "--serve", kind, "--port", str(port), "--backend-url", backend_url]
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: RUF100, S603
    deadline = time.monotonic() + 30
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


# --- credentials -------------------------------------------------------------------------------------------


def access_token(gateway_url: str) -> str:
    request = urllib.request.Request(
        f"{gateway_url}/auth/token",
        method="POST",
        data=json.dumps({"username": "zhangsan", "password": "demo"}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: RUF100, S310
        return str(json.load(response)["access_token"])


def internal_token() -> str:
    from onematter_kit.identity import InternalTokenSigner, Principal, Role

    principal = Principal(subject="zhangsan", roles=frozenset({Role.applicant}))
    return InternalTokenSigner(SECRET, ttl_seconds=3600).sign(principal, audience="matter-catalog")


# --- load generators ---------------------------------------------------------------------------------------


def ensure_wrk() -> str | None:
    if path := shutil.which("wrk"):
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return shutil.which("wrk")


def run_wrk(wrk: str, url: str, header: str, *, connections: int, duration: int) -> dict[str, float]:
    out = subprocess.run(
        [
            wrk,
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            "5s",
            "-H",
            header,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=duration + 30,
        check=True,
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


def run_python_load(url: str, header: str, *, connections: int, duration: int) -> dict[str, float]:
    code = Path(__file__).with_name("_pyload.py")
    out = subprocess.run(
        [sys.executable, str(code), url, header, str(connections), str(duration)],
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    ).stdout
    return dict(json.loads(out))


# --- the run -----------------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux), to show cost per request whatever else runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(load, duration: int, processes: dict[str, int]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    before = {name: cpu_seconds(pid) for name, pid in processes.items()}
    result = load(duration)
    requests = max(1.0, result["rps"] * duration)
    for name, pid in processes.items():
        result[f"{name}_cpu_us_per_request"] = (cpu_seconds(pid) - before[name]) / requests * 1e6
    return dict(result)


def measure(args: argparse.Namespace) -> dict[str, dict[str, float]]:
    backend_port, gateway_port = free_port(), free_port()
    backend = spawn("backend", backend_port)
    gateway = spawn("gateway", gateway_port, f"http://127.0.0.1:{backend_port}")
    try:
        targets = {
            "direct": (
                f"http://127.0.0.1:{backend_port}{ROUTE}",
                f"x-onematter-internal-token: {internal_token()}",
            ),
            "gateway": (
                f"http://127.0.0.1:{gateway_port}{ROUTE}",
                f"authorization: Bearer {access_token(f'http://127.0.0.1:{gateway_port}')}",
            ),
        }
        wrk = None if args.python_load else ensure_wrk()
        results = {}
        for name, (url, header) in targets.items():
            load = (
                (lambda d, u=url, h=header: run_wrk(wrk, u, h, connections=args.connections, duration=d))
                if wrk
                else (
                    lambda d, u=url, h=header: run_python_load(u, h, connections=args.connections, duration=d)
                )
            )
            load(2)  # warm-up: connection pools, token caches
            pids = {"backend": backend.pid} | ({"gateway": gateway.pid} if name == "gateway" else {})
            results[name] = measured(load, args.duration, pids)
        results["_tool"] = {"wrk": 1.0 if wrk else 0.0}
        return results
    finally:
        for process in (gateway, backend):
            process.terminate()
            process.wait(timeout=10)


def report(results: dict[str, dict[str, float]], connections: int) -> bool:
    direct, gateway = results["direct"], results["gateway"]
    ratio = gateway["rps"] / direct["rps"]
    added_p99 = gateway["p99_ms"] - direct["p99_ms"]
    tool = "wrk" if results["_tool"]["wrk"] else "python load generator"
    print(f"gateway overhead, {connections} connections, {tool}, {os.cpu_count()} CPUs")
    print(
        f"{'':8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'CPU µs/req backend':>19} "
        f"{'gateway':>8}"
    )
    for name, row in (("direct", direct), ("gateway", gateway)):
        print(
            f"{name:8} {row['rps']:9.0f} {row['p50_ms']:8.2f} {row['p99_ms']:8.2f} {row['errors']:8.0f} "
            f"{row['backend_cpu_us_per_request']:19.0f} {row.get('gateway_cpu_us_per_request', 0):8.0f}"
        )
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (other processes skew the ratio)")
    ok = ratio >= 0.70 and added_p99 <= 3.0 and direct["errors"] == gateway["errors"] == 0
    print(
        f"throughput ratio {ratio:.0%} (goal ≥ 70%), added p99 {added_p99:.2f} ms (goal ≤ 3 ms): "
        f"{'MET' if ok else 'NOT MET'}"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run (max 60)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--python-load", action="store_true", help="use the Python load generator, not wrk")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    parser.add_argument("--serve", choices=["backend", "gateway"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--backend-url", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.backend_url)
        return
    args.duration = max(1, min(args.duration, 60))
    results = measure(args)
    if args.json:
        print(json.dumps(results, indent=2))
    report(results, args.connections)


if __name__ == "__main__":
    main()
