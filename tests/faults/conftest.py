"""Fault tests run against a system of their own: a private Kafka broker and a private PostgreSQL cluster
on free ports (``onematter_devtools.stack``), so stopping them disturbs no other test — the shared Kafka
(29092) and PostgreSQL (25432) are never touched.

``lab`` is the tests' one handle: submit applications through the gateway (one matter, materials
uploaded once), stream submissions while something breaks, read what reached Kafka and what each
service's database holds.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from onematter_devtools.stack import DedicatedStack
from onematter_events import CloudEvent, task_topic
from onematter_testkit.applicant import form_from_schema, upload_material

MATTER = "newborn-birth"
T = TypeVar("T")


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DedicatedStack]:
    # The gateway's per-user rate limit is not under test here; a 429 would only blur the counts.
    gateway = {"RATE_LIMIT_IDENTITY_PER_SECOND": "10000", "RATE_LIMIT_IDENTITY_BURST": "10000"}
    started = DedicatedStack(
        tmp_path_factory.mktemp("fault-stack"), topic_prefix="fault.", extra_env={"gateway": gateway}
    )
    try:
        started.start()
        yield started
    finally:
        started.stop()


@dataclass
class Outcome:
    """What the client saw for one Idempotency-Key: the status (0 = no answer) and, on 201, the body."""

    key: str
    status: int
    body: dict[str, Any] = field(default_factory=dict)
    detail: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    started: float = 0.0  # time.monotonic() when sent
    elapsed: float = 0.0  # seconds until the answer (or the failure)


class Lab:
    def __init__(
        self, stack: DedicatedStack, client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any]
    ) -> None:
        self.stack, self.client, self.headers, self.body = stack, client, headers, body
        self.departments: list[str] = []

    async def submit(self, key: str, *, request_timeout: float = 15.0) -> Outcome:
        """One submission; a connection failure or timeout is status 0 (the client knows nothing)."""
        started = time.monotonic()
        try:
            response = await self.client.post(
                "/api/v1/applications",
                json=self.body,
                timeout=request_timeout,
                headers={**self.headers, "Idempotency-Key": key},
            )
        except httpx.HTTPError as exc:
            return Outcome(
                key, 0, detail=type(exc).__name__, started=started, elapsed=time.monotonic() - started
            )
        body = response.json() if response.headers.get("content-type", "").endswith("json") else {}
        return Outcome(
            key,
            response.status_code,
            body,
            detail=response.text[:300],
            headers=dict(response.headers),
            started=started,
            elapsed=time.monotonic() - started,
        )

    async def stream(
        self,
        *,
        seconds: float,
        workers: int = 3,
        max_count: int = 2000,
        pause: float = 0.0,
        tag: str = "s",
        until: asyncio.Event | None = None,
    ) -> list[Outcome]:
        """Submissions from ``workers`` loops with fresh keys, bounded by ``seconds`` and ``max_count``
        (and ended early once ``until`` is set); each loop waits ``pause`` s between requests."""
        outcomes: list[Outcome] = []
        deadline = time.monotonic() + seconds
        run = secrets.token_hex(3)
        until = until or asyncio.Event()

        async def loop(worker: int) -> None:
            n = 0
            while time.monotonic() < deadline and len(outcomes) < max_count and not until.is_set():
                outcome = await self.submit(f"{tag}-{run}-{worker}-{n}")
                outcomes.append(outcome)
                n += 1
                failed = outcome.status == 0 or outcome.status >= 500
                # a client backs off while the service is down
                await asyncio.sleep(max(pause, 0.5) if failed else pause)

        await asyncio.gather(*(loop(w) for w in range(workers)))
        return outcomes

    async def settle(self, outcomes: list[Outcome], *, within: float = 60.0) -> list[Outcome]:
        """Retry every key without a definite answer (same key, same body) until it gets 201/200."""
        final = {o.key: o for o in outcomes}
        deadline = time.monotonic() + within
        while pending := [k for k, o in final.items() if o.status not in (200, 201)]:
            assert time.monotonic() < deadline, (
                f"{len(pending)} submissions never succeeded: {[final[k].detail for k in pending[:3]]}"
            )
            for outcome in await _bounded(self.submit(key) for key in pending):
                final[outcome.key] = outcome
            await asyncio.sleep(0.3)
        return list(final.values())

    @staticmethod
    def report(name: str, **counts: int) -> str:
        """``name: submitted=.. acknowledged=..``: printed (pytest -s), put in assertion messages, and
        listed in the run's closing summary (see ``pytest_terminal_summary`` below), so `make test` shows
        what the fault tests checked."""
        line = f"{name}: " + " ".join(f"{k}={v}" for k, v in counts.items())
        print(line)
        _REPORTED.append(line)
        return line

    async def audit(
        self, name: str, outcomes: list[Outcome], *, total_before: int, within: float = 90.0
    ) -> dict[str, int]:
        """The promises after a fault, checked from the outside; returns (and prints) the counts.

        Every 201 is stored exactly once (a replay of its key answers 200 with the same number, a GET
        finds it, acceptance numbers are unique, the applicant's list grew by exactly the keys that
        succeeded); every task it created has exactly one ``task.assigned`` event (distinct event ids)
        on its department's topic; the material service applied each of those events once.
        """
        settled = await self.settle(outcomes)
        acknowledged = [o for o in outcomes if o.status == 201]
        replays = await _bounded(self.submit(o.key) for o in acknowledged)
        changed = [
            (o.key, r.status, r.body.get("acceptance_number"))
            for o, r in zip(acknowledged, replays, strict=True)
            if (r.status, r.body.get("acceptance_number")) != (200, o.body["acceptance_number"])
        ]
        reads = await _bounded(self.read(o.body["acceptance_number"]) for o in settled)
        numbers = [o.body["acceptance_number"] for o in settled]
        tasks = {t["id"]: t for o in settled for t in o.body["tasks"]}
        stored = await self.total() - total_before
        events = await self.task_events(set(numbers), expected_tasks=len(tasks), within=within)
        event_ids = set().union(*events.values()) if events else set()

        async def all_applied() -> int | None:
            applied = await self.applied_task_events(event_ids)
            return applied if applied == len(event_ids) else None

        applied = await _poll(all_applied, within=within) or await self.applied_task_events(event_ids)
        grants = await self.grants_per_task(set(tasks))
        expected_grants = {
            i: sum(1 for m in t["materials"] if m.get("material_id")) for i, t in tasks.items()
        }
        counts = {
            "submitted": len(outcomes),
            "acknowledged": len(acknowledged),
            "failed_then_retried": len(outcomes) - len(acknowledged),
            "succeeded_after_retry": len(settled),
            "stored": stored,
            "readable": sum(r.status_code == 200 for r in reads),
            "tasks": len(tasks),
            "delivered": len(events),
            "task_events": len(event_ids),
            "applied": applied,
        }
        line = self.report(name, **counts)
        assert not changed, f"{line}; replayed keys that did not answer 200 with their number: {changed[:5]}"
        assert len(set(numbers)) == len(numbers) == len(settled), f"{line}; acceptance numbers not unique"
        assert stored == len(settled), f"{line}; the applicant's list grew by {stored}, not {len(settled)}"
        assert counts["readable"] == len(settled), line
        missing = set(tasks) - set(events)
        assert not missing, (
            f"{line}; {len(missing)} tasks without a task.assigned event, e.g. {sorted(missing)[:3]}"
        )
        doubled = {t: ids for t, ids in events.items() if len(ids) > 1}
        assert not doubled, f"{line}; tasks assigned by more than one event: {list(doubled.items())[:3]}"
        assert applied == len(event_ids), f"{line}; material applied {applied} of {len(event_ids)} events"
        wrong = {i: (grants.get(i, 0), n) for i, n in expected_grants.items() if grants.get(i, 0) != n}
        assert not wrong, f"{line}; material grants per task (had, expected): {list(wrong.items())[:3]}"
        return counts

    async def total(self) -> int:
        response = await self.client.get("/api/v1/applications", params={"limit": 1}, headers=self.headers)
        assert response.status_code == 200, response.text
        return int(response.json()["total"])

    async def read(self, number: str) -> httpx.Response:
        return await self.client.get(f"/api/v1/applications/{number}", headers=self.headers)

    async def task_events(
        self, numbers: set[str], *, expected_tasks: int, within: float = 60.0
    ) -> dict[str, set[str]]:
        """``task id → distinct event ids`` of ``task.assigned`` for these applications, read until at
        least ``expected_tasks`` task ids were seen (or ``within`` s passed)."""
        topics = [task_topic(d, self.stack.system.topic_prefix) for d in self.departments]
        consumer = AIOKafkaConsumer(
            *topics,
            **self.stack.kafka.admin_options(),
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        found: dict[str, set[str]] = defaultdict(set)
        await consumer.start()
        deadline = time.monotonic() + within
        try:
            while len(found) < expected_tasks and time.monotonic() < deadline:
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    for record in records:
                        event = CloudEvent.from_bytes(record.value)
                        if (
                            event.type.endswith("task.assigned")
                            and event.data.get("acceptance_number") in numbers
                        ):
                            found[event.data["task_id"]].add(event.id)
        finally:
            await consumer.stop()
        return found

    async def query(self, service: str, sql: str, *args: Any) -> list[asyncpg.Record]:
        connection = await asyncpg.connect(self.stack.dsn(service))
        try:
            return list(await connection.fetch(sql, *args))
        finally:
            await connection.close()

    async def applied_task_events(self, event_ids: set[str]) -> int:
        """How many of these ``task.assigned`` events the material service applied (its processed rows)."""
        rows = await self.query(
            "material", "SELECT event_id FROM processed_events WHERE event_id = ANY($1)", list(event_ids)
        )
        return len(rows)

    async def grants_per_task(self, task_ids: set[str]) -> dict[str, int]:
        rows = await self.query(
            "material",
            "SELECT task_id, count(*) AS n FROM material_access_grants "
            "WHERE task_id = ANY($1) GROUP BY task_id",
            list(task_ids),
        )
        return {r["task_id"]: r["n"] for r in rows}


_REPORTED: list[str] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _REPORTED:
        terminalreporter.section("fault tests: the counts they checked")
        for line in _REPORTED:
            terminalreporter.write_line(line)


@pytest.fixture
async def lab(stack: DedicatedStack) -> AsyncIterator[Lab]:
    """zhangsan with newborn-birth's materials uploaded once (every submission reuses them)."""
    async with httpx.AsyncClient(base_url=stack.system.gateway_url, timeout=30) as client:
        login = await client.post("/auth/token", json={"username": "zhangsan", "password": "demo"})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        matter = (await client.get(f"/api/v1/matters/{MATTER}")).json()
        materials = {
            m["material_type"]: await upload_material(client, headers, m["material_type"])
            for m in matter["materials"]
        }
        form = form_from_schema(matter["form_schema"])
        body = {"matter_code": MATTER, "form": form, "materials": materials, "channel": "online"}
        lab = Lab(stack, client, headers, body)
        lab.departments = sorted({item["department"] for item in matter["items"]})
        first = await _until_acceptance_knows_the_matter(lab)
        assert first.status == 201, first.detail
        yield lab


async def _until_acceptance_knows_the_matter(lab: Lab) -> Outcome:
    key = f"warm-{secrets.token_hex(4)}"
    for _ in range(60):
        outcome = await lab.submit(key)
        if outcome.status != 422:
            return outcome
        await asyncio.sleep(1)
    return outcome


async def _poll(probe: Any, *, within: float, interval: float = 0.5) -> Any:
    """``probe()`` until it returns something truthy, or None after ``within`` s (the caller asserts)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if result := await probe():
            return result
        await asyncio.sleep(interval)
    return None


async def _bounded(coroutines: Iterable[Awaitable[T]], limit: int = 4) -> list[T]:
    """``gather`` with at most ``limit`` requests in flight (the gateway's limits are not under test)."""
    gate = asyncio.Semaphore(limit)

    async def one(coroutine: Awaitable[T]) -> T:
        async with gate:
            return await coroutine

    return list(await asyncio.gather(*(one(c) for c in coroutines)))
