"""How much the gateway costs: one authenticated GET straight to a service and through the gateway.

Run: ``python bench/gateway_overhead.py`` (``--duration 8 --connections 32 --rounds 3``). It starts, each
as its own process with one uvicorn worker (uvloop + httptools): a trivial FastAPI service behind the
internal-token middleware (what every OneMatter service has), and the gateway — real JWT verification,
policy, rate limits, internal-token signing, JSON access log — served three ways, side by side:

- ``fast``: as ``python -m onematter_gateway`` serves it (its protocol: the edge's limits, ``/api`` on
  the fast path, the own HTTP/1.1 client to the backend);
- ``asgi``: plain uvicorn (httptools) and the ASGI app, i.e. the well-kept server without the fast path;
- ``aiohttp-hop``: as ``fast``, but the hop to the backend is aiohttp's client instead of the own one.

Fair by construction: requests carry the tokens of 1,000 different users, round robin (access tokens
through the gateway, internal tokens direct), so no cache sees one user; each server's CPU time per
request is read from ``/proc`` (meaningful on a shared machine, unlike req/s); the runs alternate
direct, fast, asgi, aiohttp-hop, ``--rounds`` times, and the median of each is reported. The load
generator is ``wrk`` with a Lua script cycling the tokens (installed with apt-get when missing), or a
Python generator in its own process. Everything is bounded in time; only loopback is used.
The goal (issue 18): through the gateway ≥ 70 % of direct throughput, ≤ 3 ms added at p99 with 32
connections, and gateway CPU per request ≤ the trivial backend's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).parent))

from _loadgen import python_load, run_wrk, spawn, wrk_path

ROUTE = "/api/v1/bench/ping"
SECRET = "bench-internal-token-secret-0123456789abcdef"  # noqa: S105 — a throwaway for local processes
USERS = 1000
GATEWAYS = ("fast", "asgi", "aiohttp-hop")


# --- the servers (each run as ``--serve KIND`` in a process of its own) ----------------------------------


def backend_app():  # type: ignore[no-untyped-def]
    from fastapi import FastAPI
    from onematter_kit.internal_auth import InternalAuthMiddleware

    app = FastAPI()

    @app.get(ROUTE)
    async def ping() -> dict[str, bool]:
        return {"ok": True}

    app.add_middleware(InternalAuthMiddleware, secret=SECRET, audience="matter-catalog")
    return app


def gateway_app(backend_url: str, tokens_file: str):  # type: ignore[no-untyped-def]
    from onematter_gateway.config import GatewaySettings
    from onematter_gateway.domain.policy import RoutePolicy, rule
    from onematter_gateway.entrypoints.app import create_app
    from onematter_kit.identity import Principal, Role

    # Rate and connection limits far above the load: this measures cost, not the limits saying no.
    # Access logs stay on (INFO, JSON to /dev/null): they are part of the gateway's real cost.
    settings = GatewaySettings(
        catalog_url=backend_url,
        internal_token_secret=SECRET,
        log_level=os.environ.get("BENCH_LOG_LEVEL", "INFO"),
        rate_limit_identity_per_second=1e9,
        rate_limit_identity_burst=10**9,
        rate_limit_ip_per_second=1e9,
        rate_limit_ip_burst=10**9,
        max_connections_per_address=10_000,
    )
    app = create_app(settings, policy=RoutePolicy([rule("GET", ROUTE, "matter-catalog", Role.applicant)]))
    users = [
        Principal(subject=f"bench-user-{n:04d}", roles=frozenset({Role.applicant})) for n in range(USERS)
    ]
    Path(tokens_file).write_text("\n".join(app.state.idp.issue(user)[0] for user in users) + "\n")
    return app


def serve(kind: str, port: int, backend_url: str, tokens_file: str) -> None:
    import uvicorn

    if kind == "aiohttp-hop":
        from _aiohttp_hop import use_aiohttp_hop

        use_aiohttp_hop()  # before the app is built
    app = backend_app() if kind == "backend" else gateway_app(backend_url, tokens_file)
    if kind in ("fast", "aiohttp-hop"):
        from onematter_gateway.entrypoints.server import run

        run(app, host="127.0.0.1", port=port)
        return
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


def internal_tokens(path: Path) -> None:
    from onematter_kit.identity import InternalTokenSigner, Principal, Role

    signer = InternalTokenSigner(SECRET, ttl_seconds=3600)
    users = [
        Principal(subject=f"bench-user-{n:04d}", roles=frozenset({Role.applicant})) for n in range(USERS)
    ]
    path.write_text("\n".join(signer.sign(user, audience="matter-catalog") for user in users) + "\n")


# --- measuring ---------------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(load, duration: int, processes: dict[str, int]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    before = {name: cpu_seconds(pid) for name, pid in processes.items()}
    result = load(duration)
    requests = max(1.0, result["rps"] * duration)
    for name, pid in processes.items():
        result[f"{name}_cpu_us"] = (cpu_seconds(pid) - before[name]) / requests * 1e6
    result["load_avg"] = os.getloadavg()[0]
    return dict(result)


def measure(args: argparse.Namespace, workdir: Path) -> dict[str, list[dict[str, float]]]:
    backend_port = _free_port()
    backend_url = f"http://127.0.0.1:{backend_port}"
    processes = {"backend": spawn(__file__, "backend", backend_port, backend_url, "")}
    targets: dict[str, tuple[str, str, str, Path]] = {}
    internal_tokens(workdir / "direct.tokens")
    targets["direct"] = (f"{backend_url}{ROUTE}", "x-onematter-internal-token", "", workdir / "direct.tokens")
    try:
        for kind in args.gateways:
            port, tokens = _free_port(), workdir / f"{kind}.tokens"
            processes[kind] = spawn(__file__, kind, port, backend_url, str(tokens))
            targets[kind] = (f"http://127.0.0.1:{port}{ROUTE}", "authorization", "Bearer ", tokens)
        wrk = None if args.python_load else wrk_path()
        results: dict[str, list[dict[str, float]]] = {name: [] for name in targets}
        for _ in range(args.rounds):
            for name, (url, header, prefix, tokens) in targets.items():

                def load(
                    d: int, u: str = url, h: str = header, p: str = prefix, t: Path = tokens
                ) -> dict[str, float]:
                    if wrk:
                        return run_wrk(wrk, u, h, p, t, connections=args.connections, duration=d)
                    return python_load(u, h, p, t, connections=args.connections, duration=d)

                load(2)  # warm-up: connection pools, token caches
                pids = {"backend": processes["backend"].pid}
                if name != "direct":
                    pids["gateway"] = processes[name].pid
                results[name].append(measured(load, args.duration, pids))
        results["_tool"] = [{"wrk": 1.0 if wrk else 0.0}]
        return results
    finally:
        for process in processes.values():
            process.terminate()
            process.wait(timeout=30)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the verdict -------------------------------------------------------------------------------------------


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: median(run[key] for run in runs) for key in runs[0]}


def report(results: dict[str, list[dict[str, float]]], args: argparse.Namespace) -> bool:
    tool = "wrk" if results["_tool"][0]["wrk"] else "python load generator"
    direct = medians(results["direct"])
    print(f"gateway overhead: {args.connections} connections, {tool}, {USERS} users' tokens,")
    print(f"{os.cpu_count()} CPUs, median of {args.rounds} alternating runs of {args.duration} s each")
    columns = ("req/s", "p50 ms", "p99 ms", "errors", "backend µs/req", "gateway µs/req", "load")
    print(f"{'':12} " + " ".join(f"{c:>{max(6, len(c))}}" for c in columns))
    verdicts = {}
    for name in ["direct", *args.gateways]:
        row = medians(results[name])
        print(
            f"{name:12} {row['rps']:6.0f} {row['p50_ms']:6.2f} {row['p99_ms']:6.2f} {row['errors']:6.0f} "
            f"{row['backend_cpu_us']:14.0f} {row.get('gateway_cpu_us', 0):14.0f} {row['load_avg']:6.1f}"
        )
        if name != "direct":
            verdicts[name] = _verdict(direct, row)
    for name, (ok, text) in verdicts.items():
        print(f"{name}: {text}: goal {'MET' if ok else 'NOT MET'}")
    return verdicts.get("fast", (False, ""))[0]


def _verdict(direct: dict[str, float], row: dict[str, float]) -> tuple[bool, str]:
    ratio = row["rps"] / direct["rps"]
    added = row["p99_ms"] - direct["p99_ms"]
    cpu, backend_cpu = row["gateway_cpu_us"], direct["backend_cpu_us"]
    ok = ratio >= 0.70 and added <= 3.0 and cpu <= backend_cpu and row["errors"] == direct["errors"] == 0
    text = (
        f"throughput {ratio:.0%} of direct (≥ 70 %), p99 {added:+.2f} ms (≤ +3 ms), "
        f"gateway CPU {cpu:.0f} µs/req vs backend {backend_cpu:.0f} µs/req (≤)"
    )
    return ok, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per measured run (max 60)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3, help="alternations of all targets (at least 3)")
    parser.add_argument("--gateways", default=",".join(GATEWAYS), help=f"some of {','.join(GATEWAYS)}")
    parser.add_argument("--python-load", action="store_true", help="use the Python load generator, not wrk")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--backend-url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--tokens", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.backend_url, args.tokens)
        return
    args.duration, args.rounds = max(1, min(args.duration, 60)), max(3, args.rounds)
    args.gateways = [g for g in args.gateways.split(",") if g in GATEWAYS]
    import tempfile

    with tempfile.TemporaryDirectory() as workdir:
        results = measure(args, Path(workdir))
    if args.json:
        print(json.dumps(results, indent=2))
    report(results, args)


if __name__ == "__main__":
    main()
