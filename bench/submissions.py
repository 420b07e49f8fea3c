"""Submissions under a steady load: applications/s through the gateway, and how soon their department
tasks are on Kafka — first on a fresh system, then with 10× the applications stored and 10× the matters.

Run: ``python bench/submissions.py`` (``--json`` adds one JSON line per figure; ``--rate 20 --seconds 20``).
It starts a whole OneMatter of its own (``onematter_devtools.stack``: a private Kafka broker and a private
PostgreSQL cluster on free ports, every service and the gateway as processes) and stops it at the end.

* The load generator is a subprocess (this file with ``--load``): it sends ``POST /api/v1/applications``
  (新生儿出生一件事, materials uploaded once, a fresh Idempotency-Key each) open-loop at ``--rate`` per
  second, at most ``--concurrency`` in flight, for at most ``--seconds`` and ``rate × seconds`` requests.
  It reports, per request, the wall-clock time of the answer, its status and the acceptance number.
* This process consumes the matter's task topics with aiokafka meanwhile and notes when each
  ``task.assigned`` event became readable. Latency = the last task of an application readable − its 201
  (both wall-clock on one machine). Negative values (the event was on Kafka before the client had read
  the 201) count as 0.
* Scale step: the applications stored so far are copied in SQL until there are 10× as many (other days'
  acceptance numbers, synthetic applicants, with their tasks, timeline, idempotency keys and published
  outbox rows), and 117 matters are created and published through the catalog's admin API (copies of the
  13 seeded ones), so the catalog holds 10× the matters and acceptance its copies of them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

MATTER = "newborn-birth"
#: The gateway's per-user limit would cap one user's load; it is not what this measures.
GATEWAY_ENV = {
    "RATE_LIMIT_IDENTITY_PER_SECOND": "100000",
    "RATE_LIMIT_IDENTITY_BURST": "100000",
    "RATE_LIMIT_IP_PER_SECOND": "100000",
    "RATE_LIMIT_IP_BURST": "100000",
}
SCALE = 10


# --- the load generator (its own process) ------------------------------------------------------------


async def generate(config: dict[str, Any]) -> dict[str, Any]:
    """Open-loop at ``rate``/s for ``seconds`` (at most ``rate × seconds`` requests). A request whose turn
    comes while ``concurrency`` are already in flight is not sent but counted as ``shed``: the offered
    rate is above what the system absorbs, and queueing it would only measure the queue."""
    import httpx

    rate, seconds, concurrency = config["rate"], config["seconds"], config["concurrency"]
    results: list[dict[str, Any]] = []
    in_flight: set[asyncio.Task[None]] = set()
    shed = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=config["url"], timeout=30, limits=limits) as client:

        async def one(i: int) -> None:
            sent = time.time()
            try:
                response = await client.post(
                    "/api/v1/applications",
                    json=config["body"],
                    headers={**config["headers"], "Idempotency-Key": f"{config['tag']}-{i}"},
                )
                status = response.status_code
                body = response.json() if status == 201 else {}
            except Exception:  # counted as an error (status 0); the run goes on
                status, body = 0, {}
            results.append(
                {
                    "sent": sent,
                    "answered": time.time(),
                    "status": status,
                    "number": body.get("acceptance_number"),
                    "tasks": len(body.get("tasks", [])),
                }
            )

        started = time.monotonic()
        for i in range(int(rate * seconds)):
            delay = started + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if len(in_flight) >= concurrency:
                shed += 1
                continue
            task = asyncio.create_task(one(i))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        if in_flight:
            await asyncio.wait(in_flight, timeout=60)
    return {"results": results, "shed": shed, "seconds": time.monotonic() - started}


def run_load_generator() -> None:
    config = json.loads(sys.stdin.read())
    print(json.dumps(asyncio.run(generate(config))))


# --- the measuring process ---------------------------------------------------------------------------


class TaskWatcher:
    """Consumes the task topics and notes when each application's ``task.assigned`` events were readable."""

    def __init__(self, kafka: dict[str, Any], topics: list[str]) -> None:
        from aiokafka import AIOKafkaConsumer

        self._consumer = AIOKafkaConsumer(
            *topics,
            **kafka,
            group_id=None,
            auto_offset_reset="latest",
            enable_auto_commit=False,
            fetch_max_wait_ms=50,
        )
        self.seen: dict[str, list[float]] = defaultdict(list)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._consumer.start()
        await self._consumer.getmany(timeout_ms=200)  # joins the partitions at their ends
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        from onematter_events import CloudEvent

        while True:
            batches = await self._consumer.getmany(timeout_ms=100)
            now = time.time()
            for records in batches.values():
                for record in records:
                    event = CloudEvent.from_bytes(record.value)
                    if event.type.endswith("task.assigned"):
                        self.seen[event.data["acceptance_number"]].append(now)

    async def wait_for(self, expected: dict[str, int], within: float) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline and any(len(self.seen[n]) < k for n, k in expected.items()):  # noqa: ASYNC110
            await asyncio.sleep(0.2)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
        await self._consumer.stop()


async def prepare(gateway: str) -> dict[str, Any]:
    """zhangsan's token, newborn-birth's materials uploaded once and its form; waits for acceptance."""
    import httpx

    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        login = await client.post("/auth/token", json={"username": "zhangsan", "password": "demo"})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        matter = (await client.get(f"/api/v1/matters/{MATTER}")).json()
        materials = {}
        for requirement in matter["materials"]:
            kind = requirement["material_type"]
            uploaded = await client.post(
                "/api/v1/materials",
                headers=headers,
                data={"material_type": kind},
                files={"file": (f"{kind}.pdf", b"%PDF-1.7\n" + secrets.token_bytes(2048), "application/pdf")},
            )
            materials[kind] = uploaded.json()["id"]
        form = {
            name: prop["examples"][0]
            for name, prop in matter["form_schema"]["properties"].items()
            if prop.get("examples")
        }
        body = {"matter_code": MATTER, "form": form, "materials": materials, "channel": "online"}
        for attempt in range(60):  # until acceptance holds its copy of the matter
            response = await client.post(
                "/api/v1/applications", json=body, headers={**headers, "Idempotency-Key": f"warm-{attempt}"}
            )
            if response.status_code == 201:
                break
            await asyncio.sleep(1)
        else:
            raise RuntimeError(f"acceptance never took {MATTER}: {response.text}")
        return {
            "headers": headers,
            "body": body,
            "departments": sorted({i["department"] for i in matter["items"]}),
        }


async def measure(
    stack: Any, prepared: dict[str, Any], args: argparse.Namespace, label: str
) -> dict[str, Any]:
    """One load run: the generator in a subprocess, the task topics watched here."""
    from onematter_events import task_topic

    topics = [task_topic(d, stack.system.topic_prefix) for d in prepared["departments"]]
    watcher = TaskWatcher(stack.kafka.admin_options(), topics)
    await watcher.start()
    config = {
        "url": stack.system.gateway_url,
        "headers": prepared["headers"],
        "body": prepared["body"],
        "rate": args.rate,
        "seconds": args.seconds,
        "concurrency": args.concurrency,
        "tag": f"{label}-{secrets.token_hex(3)}",
    }
    load_average = os.getloadavg()[0]
    cpu_before = cpu_seconds(stack.system.processes)
    generator = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--load", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(
        generator.communicate(json.dumps(config).encode()), timeout=args.seconds + 90
    )
    generated = json.loads(out)
    results = generated["results"]
    accepted = [r for r in results if r["status"] == 201]
    await watcher.wait_for({r["number"]: r["tasks"] for r in accepted}, within=30)
    await watcher.stop()
    await asyncio.sleep(2)  # the consumers downstream (material grants, notifications) finish their share
    cpu = {name: after - cpu_before[name] for name, after in cpu_seconds(stack.system.processes).items()}
    per_application = {f"cpu_ms_{name}": 1000 * used / max(1, len(accepted)) for name, used in cpu.items()}
    return (
        {"shed": generated["shed"], "cpu_ms_per_application": sum(per_application.values())}
        | per_application
        | summarise(
            label,
            results,
            watcher.seen,
            load_average=max(load_average, os.getloadavg()[0]),
            offered=args.rate,
        )
    )


def cpu_seconds(processes: dict[str, Any]) -> dict[str, float]:
    """User + system CPU seconds of each service process so far (from /proc; Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for name, process in processes.items():
        fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        used[name] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return used


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summarise(
    label: str,
    results: list[dict[str, Any]],
    seen: dict[str, list[float]],
    *,
    load_average: float,
    offered: float,
) -> dict[str, Any]:
    accepted = [r for r in results if r["status"] == 201]
    span = max(r["answered"] for r in results) - min(r["sent"] for r in results)
    delivered = [
        max(seen[r["number"]]) - r["answered"] for r in accepted if len(seen[r["number"]]) >= r["tasks"]
    ]
    response_ms = [(r["answered"] - r["sent"]) * 1000 for r in accepted]
    return {
        "scale": label,
        "offered_per_s": offered,
        "sent": len(results),
        "accepted": len(accepted),
        "errors": len(results) - len(accepted),
        "accepted_per_s": len(accepted) / span if span else 0.0,
        "response_p50_ms": _percentile(response_ms, 0.5),
        "response_p99_ms": _percentile(response_ms, 0.99),
        "tasks_delivered_for": len(delivered),
        "to_last_task_p50_ms": _percentile([max(0.0, d) * 1000 for d in delivered], 0.5),
        "to_last_task_p99_ms": _percentile([max(0.0, d) * 1000 for d in delivered], 0.99),
        "to_last_task_mean_ms": statistics.fmean([max(0.0, d) * 1000 for d in delivered])
        if delivered
        else 0.0,
        "load_average": load_average,
    }


# --- the scale step ----------------------------------------------------------------------------------

#: Per table: the columns rewritten so each copy is a new row (``g`` = copy number). Other columns are
#: copied as they are; identity columns are left to the database.
_COPY_RULES: dict[str, dict[str, str]] = {
    "acceptance_applications": {
        "id": "md5(id || ':' || g)",
        "acceptance_number": "'YJS-' || to_char(date '2000-01-01' + g, 'YYYYMMDD') || '-' "
        "|| right(acceptance_number, 6)",
        "applicant_id": "'seed-' || g || '-' || applicant_id",
        "submitted_by": "'seed-' || g || '-' || submitted_by",
    },
    "acceptance_tasks": {"id": "md5(id || ':' || g)", "application_id": "md5(application_id || ':' || g)"},
    "acceptance_timeline": {"application_id": "md5(application_id || ':' || g)"},
    "acceptance_idempotency_keys": {
        "caller": "'seed-' || g || '-' || caller",
        "application_id": "md5(application_id || ':' || g)",
    },
    "outbox_messages": {"event_id": "md5(event_id || ':' || g)", "key": "md5(key || ':' || g)"},
}


async def count_applications(dsn: str) -> int:
    import asyncpg

    connection = await asyncpg.connect(dsn)
    try:
        return int(await connection.fetchval("SELECT count(*) FROM acceptance_applications"))
    finally:
        await connection.close()


async def multiply_applications(dsn: str, factor: int) -> dict[str, int]:
    """Copy every stored application (and its rows) until there are ``factor`` × as many; row counts."""
    import asyncpg

    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction():
            for table, rules in _COPY_RULES.items():
                columns = await connection.fetch(
                    "SELECT column_name, is_identity, column_default FROM information_schema.columns "
                    "WHERE table_name = $1 ORDER BY ordinal_position",
                    table,
                )
                names = [
                    c["column_name"]
                    for c in columns
                    if c["is_identity"] != "YES" and not str(c["column_default"] or "").startswith("nextval(")
                ]
                target = ", ".join(f'"{n}"' for n in names)
                source = ", ".join(rules.get(n, f'"{n}"') for n in names)
                where = " WHERE published_at IS NOT NULL" if table == "outbox_messages" else ""
                await connection.execute(  # table and column names come from this file and the catalog
                    f"INSERT INTO {table} ({target}) SELECT {source} FROM {table} "  # noqa: S608
                    f"CROSS JOIN generate_series(1, {factor - 1}) AS g{where}"
                )
        await connection.execute("ANALYZE")
        return {t: await connection.fetchval(f"SELECT count(*) FROM {t}") for t in _COPY_RULES}  # noqa: S608
    finally:
        await connection.close()


async def multiply_matters(gateway: str, factor: int) -> int:
    """Publish ``(factor - 1) × 13`` copies of the seeded matters through the admin API; the new total."""
    import httpx

    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        login = await client.post("/auth/token", json={"username": "admin", "password": "demo"})
        admin = {"Authorization": f"Bearer {login.json()['access_token']}"}
        seeded = (await client.get("/api/v1/matters", params={"limit": 100})).json()["items"]
        codes = [m.get("code") or m["matter_code"] for m in seeded]
        drafts = {
            c: (await client.get(f"/api/v1/admin/matters/{c}/draft", headers=admin)).json()["draft"]
            for c in codes
        }
        for copy in range(1, factor):
            for code, draft in drafts.items():
                new = {
                    **draft,
                    "code": f"{code[:50]}-x{copy}",
                    "name_zh": f"{draft['name_zh']}（{copy}）",
                    "name_en": f"{draft['name_en']} ({copy})",
                }
                created = await client.post("/api/v1/admin/matters", json=new, headers=admin)
                assert created.status_code == 201, created.text
                published = await client.post(f"/api/v1/admin/matters/{new['code']}/publish", headers=admin)
                assert published.status_code == 201, published.text
        return int((await client.get("/api/v1/matters", params={"limit": 1})).json()["total"])


async def wait_for_matter_copies(dsn: str, count: int, within: float = 60) -> int:
    """Until acceptance's consumer has stored ``count`` matters (its local catalog copy)."""
    import asyncpg

    deadline = time.monotonic() + within
    connection = await asyncpg.connect(dsn)
    try:
        while (
            held := await connection.fetchval("SELECT count(DISTINCT matter_code) FROM acceptance_matters")
        ) < count:
            if time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        return int(held)
    finally:
        await connection.close()


# --- the whole run -----------------------------------------------------------------------------------


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


async def bench(stack: Any, args: argparse.Namespace) -> dict[str, Any]:
    prepared = await prepare(stack.system.gateway_url)
    warm_up = argparse.Namespace(**{**vars(args), "seconds": min(3.0, args.seconds)})
    await measure(stack, prepared, warm_up, "warm-up")  # connection pools, caches, first-time imports
    say("measuring on a fresh system ...")
    fresh = await measure(stack, prepared, args, "1x")
    stored = await count_applications(stack.dsn("acceptance"))
    say(f"copying the {stored} stored applications to {SCALE}x and publishing {SCALE}x the matters ...")
    rows = await multiply_applications(stack.dsn("acceptance"), SCALE)
    matters = await multiply_matters(stack.system.gateway_url, SCALE)
    copies = await wait_for_matter_copies(stack.dsn("acceptance"), matters)
    say(f"measuring with {rows['acceptance_applications']} applications and {matters} matters ...")
    grown = await measure(stack, prepared, args, f"{SCALE}x")
    grown |= {
        "applications_stored": rows["acceptance_applications"],
        "tasks_stored": rows["acceptance_tasks"],
        "matters_in_catalog": matters,
        "matters_in_acceptance": copies,
    }
    fresh |= {"applications_stored": stored, "matters_in_catalog": matters // SCALE}
    return {"1x": fresh, f"{SCALE}x": grown}


FIGURES = [
    ("accepted_per_s", "applications/s"),
    ("response_p50_ms", "ms"),
    ("response_p99_ms", "ms"),
    ("to_last_task_p50_ms", "ms"),
    ("to_last_task_p99_ms", "ms"),
    ("cpu_ms_per_application", "ms"),  # CPU of all services and the gateway, per accepted application
]


def report(results: dict[str, Any], *, as_json: bool) -> None:
    if as_json:
        for scale, row in results.items():
            for figure, unit in FIGURES:
                print(
                    json.dumps(
                        {
                            "bench": "submissions",
                            "scale": scale,
                            "figure": figure,
                            "value": round(row[figure], 2),
                            "unit": unit,
                            "applications_stored": row.get("applications_stored"),
                            "matters_in_catalog": row.get("matters_in_catalog"),
                            "errors": row["errors"],
                            "shed": row["shed"],
                            "load_average": round(row["load_average"], 1),
                        }
                    )
                )
    print(f"submissions through the gateway, {os.cpu_count()} CPUs")
    print(
        f"{'scale':6} {'stored':>7} {'matters':>7} {'offered/s':>9} {'accepted/s':>10} {'errors':>6} "
        f"{'shed':>5} {'201 p50':>8} {'201 p99':>8} {'→tasks p50':>10} {'→tasks p99':>10} "
        f"{'CPU/appl.':>9} {'load':>5}"
    )
    for scale, row in results.items():
        print(
            f"{scale:6} {row.get('applications_stored', 0):7} {row.get('matters_in_catalog', 0):7} "
            f"{row['offered_per_s']:9.0f} {row['accepted_per_s']:10.1f} {row['errors']:6} {row['shed']:5} "
            f"{row['response_p50_ms']:6.0f}ms {row['response_p99_ms']:6.0f}ms "
            f"{row['to_last_task_p50_ms']:8.0f}ms {row['to_last_task_p99_ms']:8.0f}ms "
            f"{row['cpu_ms_per_application']:7.0f}ms {row['load_average']:5.1f}"
        )
    for scale, row in results.items():
        split = ", ".join(
            f"{k.removeprefix('cpu_ms_')} {v:.0f}"
            for k, v in row.items()
            if k.startswith("cpu_ms_") and k != "cpu_ms_per_application"
        )
        print(f"CPU ms per application at {scale}: {split}")
    print(
        "→tasks: from the 201 to the application's last `task assigned` event readable on Kafka; "
        "shed: offered while all connections were busy, so not sent"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="also print one JSON line per figure")
    parser.add_argument("--rate", type=float, default=10.0, help="submissions offered per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each load run")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight at most")
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        run_load_generator()
        return
    from onematter_devtools.stack import DedicatedStack

    logging.getLogger("aiokafka").setLevel(logging.ERROR)  # a fresh broker's leader elections are noisy

    with tempfile.TemporaryDirectory(prefix="onematter-bench-") as work:
        stack = DedicatedStack(Path(work), topic_prefix="bench.", extra_env={"gateway": GATEWAY_ENV})
        try:
            stack.start()
            results = asyncio.run(bench(stack, args))
        finally:
            stack.stop()
    report(results, as_json=args.json)


if __name__ == "__main__":
    main()
