"""Fault tests run against a system of their own: a private Kafka broker and a private PostgreSQL cluster
on free ports (``onematter_devtools.stack``), so stopping them disturbs no other test — the shared Kafka
(29092) and PostgreSQL (25432) are never touched.

``lab`` is the tests' one handle: submit applications through the gateway (one matter, materials
uploaded once), stream submissions while something breaks, read what reached Kafka and what each
service's database holds.

The stack's PostgreSQL runs with production durability (fsync, synchronous_commit, full_page_writes
on): the tests crash it. Its notification service sends email to a real SMTP server (aiosmtpd) and
webhooks to a receiver, both in this process (``sinks``); after every test that used ``lab`` its
notifications are audited (``Lab.audit_notifications``): each application's messages once in the inbox
and once in the mail sink, each webhook delivery id delivered at least once and recorded once.
``crash_on_cue`` restarts one service with ``FAULT_INJECT=<point>`` (``onematter_kit.faults``): it
kills itself at that exact point, and is started again without it.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from aiosmtpd.controller import Controller
from onematter_devtools.launcher import free_port
from onematter_devtools.stack import DedicatedStack
from onematter_events import CloudEvent, Stream, task_topic, topic_name
from onematter_events.applications import TASK_ASSIGNED
from onematter_testkit.applicant import form_from_schema, upload_material

MATTER = "newborn-birth"
_HERE = Path(__file__).parent
T = TypeVar("T")


class Mailbox:
    """An aiosmtpd handler: every email the SMTP server accepted (a thread of its own appends)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def per_message_id(self) -> Counter[str]:
        """``inbox message id → emails`` (the service puts the id in ``X-OneMatter-Message-Id``)."""
        return Counter(str(m["X-OneMatter-Message-Id"]) for m in list(self.messages))


class WebhookSink(ThreadingHTTPServer):
    """A department's receiver on 127.0.0.1: answers 200 to every POST and counts each event id."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with sink.lock:
                    sink.calls[self.headers.get("X-OneMatter-Event-Id") or ""] += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:  # quiet: the counts are the record
                pass

        super().__init__(("127.0.0.1", free_port()), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/hook"

    def counts(self) -> Counter[str]:
        with self.lock:
            return Counter(self.calls)


@dataclass
class Sinks:
    mail: Mailbox
    smtp_port: int
    hooks: WebhookSink
    #: The webhook subscription the first ``lab`` creates: ``{"id": ..., "department": ...}``.
    subscription: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="session")
def sinks() -> Iterator[Sinks]:
    mail = Mailbox()
    smtp = Controller(mail, hostname="127.0.0.1", port=free_port())
    hooks = WebhookSink()
    smtp.start()
    threading.Thread(target=hooks.serve_forever, daemon=True).start()
    try:
        yield Sinks(mail, smtp.port, hooks)
    finally:
        hooks.shutdown()
        hooks.server_close()
        smtp.stop()


@pytest.fixture(scope="session")
def notification_env(sinks: Sinks) -> dict[str, str]:
    """The notification service's settings that send its mail and webhooks to the suite's sinks."""
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(sinks.smtp_port),
        "WEBHOOK_ALLOW_LOOPBACK": f"127.0.0.1:{sinks.hooks.server_port}",
        # a delivery whose worker died is attempted again after 3 s, not after a minute
        "DELIVERY_LEASE_SECONDS": "3",
        "DELIVERY_BACKOFF_BASE_SECONDS": "0.5",
        "DELIVERY_BACKOFF_CAP_SECONDS": "5",
    }


@pytest.fixture(scope="session")
def stack(
    tmp_path_factory: pytest.TempPathFactory, notification_env: dict[str, str]
) -> Iterator[DedicatedStack]:
    # The gateway's per-user rate limit is not under test here; a 429 would only blur the counts.
    gateway = {"RATE_LIMIT_IDENTITY_PER_SECOND": "10000", "RATE_LIMIT_IDENTITY_BURST": "10000"}
    started = DedicatedStack(
        tmp_path_factory.mktemp("fault-stack"),
        topic_prefix="fault.",
        extra_env={"gateway": gateway, "notification": notification_env},
        durable_postgres=True,
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
        self.sinks: Sinks | None = None
        #: ``acceptance number → the application`` for every 201/200 this lab saw (the notification audit).
        self.applications: dict[str, dict[str, Any]] = {}
        #: Set by a test that crashes the notification service or its database: SMTP has no idempotency
        #: key, so an email the server accepted just before the crash, not yet recorded as sent, is sent
        #: again after the lease. Then an email may arrive more than once, always with the same message
        #: id and one delivery row; otherwise exactly once.
        self.emails_at_least_once = False

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
        if response.status_code in (200, 201) and "acceptance_number" in body:
            self.applications[body["acceptance_number"]] = body
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
        self,
        numbers: set[str],
        *,
        expected_tasks: int,
        within: float = 60.0,
        departments: Iterable[str] | None = None,
    ) -> dict[str, set[str]]:
        """``task id → distinct event ids`` of ``task.assigned`` for these applications (on the topics of
        ``departments``, default all of the matter's), read until at least ``expected_tasks`` task ids
        were seen (or ``within`` s passed)."""
        prefix = self.stack.system.topic_prefix
        topics = [task_topic(d, prefix) for d in (self.departments if departments is None else departments)]
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

    async def copies_on_kafka(self, numbers: set[str], *, within: float = 30.0) -> Counter[str]:
        """``event id → records`` on the applications topic and the task topics for these applications
        (read to the end: a republished event appears more than once, with the same id)."""
        prefix = self.stack.system.topic_prefix
        topics = [topic_name(Stream.applications, prefix)]
        topics += [task_topic(d, prefix) for d in self.departments]
        consumer = AIOKafkaConsumer(
            *topics, **self.stack.kafka.admin_options(), group_id=None, auto_offset_reset="earliest"
        )
        copies: Counter[str] = Counter()
        await consumer.start()
        try:
            deadline, quiet = time.monotonic() + within, 0
            while time.monotonic() < deadline and quiet < 3:  # three empty polls: the end of every topic
                batches = await consumer.getmany(timeout_ms=500)
                quiet = 0 if batches else quiet + 1
                for record in (r for records in batches.values() for r in records):
                    event = CloudEvent.from_bytes(record.value)
                    if event.data.get("acceptance_number") in numbers:
                        copies[event.id] += 1
        finally:
            await consumer.stop()
        return copies

    async def accepted_on_kafka(self, numbers: set[str], *, within: float = 60.0) -> dict[str, set[str]]:
        """``acceptance number → distinct event ids`` of ``application.accepted`` on the applications
        topic, read until every number was seen (or ``within`` s passed)."""
        consumer = AIOKafkaConsumer(
            topic_name(Stream.applications, self.stack.system.topic_prefix),
            **self.stack.kafka.admin_options(),
            group_id=None,
            auto_offset_reset="earliest",
        )
        found: dict[str, set[str]] = defaultdict(set)
        await consumer.start()
        deadline = time.monotonic() + within
        try:
            while set(found) < numbers and time.monotonic() < deadline:
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    for event in (CloudEvent.from_bytes(r.value) for r in records):
                        number = event.data.get("acceptance_number")
                        if event.type.endswith("application.accepted") and number in numbers:
                            found[number].add(event.id)
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

    async def audit_notifications(self, name: str, *, within: float = 90.0) -> dict[str, int]:
        """The notification service after a fault, for every application this lab saw answered.

        In the inbox: one acceptance message to the applicant per application, one ``task.assigned``
        message to the department per task (so nothing doubled, nothing missing); in the mail sink: one
        email per applicant message; for the subscribed department's ``task.assigned`` events (read from
        Kafka): each delivered to the webhook at least once (the same event id) and recorded as exactly one
        delivery, delivered. Each applicant message has one email delivery row, sent (see
        ``emails_at_least_once`` for how many emails that may be)."""
        assert self.sinks is not None
        sinks, apps = self.sinks, {b["id"]: b for b in self.applications.values()}
        tasks = {t["id"]: t for b in apps.values() for t in b["tasks"]}
        complete = await _poll(lambda: self._inbox(apps, complete=True), within=within)
        inbox = complete or await self._inbox(apps) or []
        personal = [r["id"] for r in inbox if r["kind"] == "application.accepted"]

        async def mailed() -> Counter[str] | None:
            found = sinks.mail.per_message_id()
            return found if all(found[m] for m in personal) else None

        emails = await _poll(mailed, within=within) or sinks.mail.per_message_id()
        mail_rows = await self.query(
            "notification",
            "SELECT message_id, status FROM notification_deliveries "
            "WHERE channel = 'email' AND message_id = ANY($1)",
            personal,
        )
        hooked = [t for t, task in tasks.items() if task["department"] == sinks.subscription["department"]]
        events = await self.task_events(
            set(self.applications),
            expected_tasks=len(hooked),
            within=within,
            departments=[sinks.subscription["department"]],
        )
        expected = set().union(*(events.get(t, set()) for t in hooked))
        rows, calls = await self._webhooks_settled(expected, within=within)
        counts = {
            "applications": len(apps),
            "inbox_messages": len(inbox),
            "emails": sum(emails[m] for m in personal),
            "emails_repeated": sum(emails[m] > 1 for m in personal),
            "emails_recorded": len(mail_rows),
            "webhook_events": len(expected),
            "webhook_calls": sum(calls[e] for e in expected),
            "webhook_recorded": len(rows),
        }
        line = self.report(f"notifications after {name}", **counts)
        _assert_inbox(line, apps, inbox)
        allowed = range(1, 10) if self.emails_at_least_once else range(1, 2)
        wrong = {m: emails[m] for m in personal if emails[m] not in allowed}
        assert not wrong, f"{line}; emails per message: {list(wrong.items())[:3]}"
        assert sorted(r["message_id"] for r in mail_rows) == sorted(personal), f"{line}; email rows"
        assert {r["status"] for r in mail_rows} <= {"sent"}, f"{line}; {[dict(r) for r in mail_rows][:3]}"
        assert all(calls[e] >= 1 for e in expected), f"{line}; webhook events never delivered"
        recorded = Counter(r["cause_id"] for r in rows)
        assert set(recorded) == expected and set(recorded.values()) <= {1}, f"{line}; recorded {recorded}"
        assert {r["status"] for r in rows} <= {"delivered"}, f"{line}; {[dict(r) for r in rows][:3]}"
        return counts

    async def crash_on_cue(
        self, service: str, point: str, trigger: Callable[[], Awaitable[T]], *, within: float = 60
    ) -> tuple[T, int | None]:
        """Restart ``service`` with ``FAULT_INJECT=point``, run ``trigger`` and wait until the process is
        dead; then start it again without the setting and wait until the system is ready. Returns what
        ``trigger`` returned and the exit code (``-9``: it killed itself at the point; None: never died)."""
        system = self.stack.system
        env = system.extra_env.setdefault(service, {})
        env["FAULT_INJECT"] = point
        try:
            await asyncio.to_thread(system.restart, service, timeout=90)  # a loaded machine starts slowly
            result = await trigger()

            async def exited() -> int | None:
                return system.processes[service].poll()

            code = await _poll(exited, within=within, interval=0.1)
        finally:
            del env["FAULT_INJECT"]
        await asyncio.to_thread(system.restart, service, timeout=90)  # terminated first if still alive
        await asyncio.to_thread(system.wait_ready, 90)
        return result, code

    async def _inbox(self, apps: dict[str, Any], *, complete: bool = False) -> list[asyncpg.Record] | None:
        """The acceptance and task messages of ``apps``; with ``complete``, None until every application
        has its acceptance message and a task message per task."""
        rows = await self.query(
            "notification",
            "SELECT id, recipient, kind, application_id FROM notification_messages "
            "WHERE application_id = ANY($1) AND kind IN ('application.accepted', 'task.assigned')",
            list(apps),
        )
        per_app = Counter((r["application_id"], r["kind"]) for r in rows)
        done = all(
            per_app[(i, "application.accepted")] >= 1 and per_app[(i, "task.assigned")] >= len(b["tasks"])
            for i, b in apps.items()
        )
        return rows if done or not complete else None

    async def _webhooks_settled(
        self, expected: set[str], *, within: float
    ) -> tuple[list[asyncpg.Record], Counter[str]]:
        """The subscription's delivery rows of ``expected`` and the receiver's calls, once every event
        was received and every row is finished (or after ``within`` s: the caller asserts)."""
        assert self.sinks is not None
        sinks = self.sinks

        async def look() -> tuple[list[asyncpg.Record], Counter[str]]:
            rows = await self.query(
                "notification",
                "SELECT cause_id, status, attempts FROM notification_deliveries "
                "WHERE channel = 'webhook' AND target_key = $1 AND cause_id = ANY($2)",
                sinks.subscription["id"],
                list(expected),
            )
            return rows, sinks.hooks.counts()

        async def settled() -> tuple[list[asyncpg.Record], Counter[str]] | None:
            rows, calls = await look()
            finished = {r["cause_id"] for r in rows if r["status"] != "pending"}
            return (rows, calls) if finished >= expected and all(calls[e] for e in expected) else None

        return await _poll(settled, within=within) or await look()


def _assert_inbox(line: str, apps: dict[str, Any], inbox: list[asyncpg.Record]) -> None:
    per_app = Counter((r["application_id"], r["kind"]) for r in inbox)
    wrong = [
        (i, per_app[(i, "application.accepted")], per_app[(i, "task.assigned")], len(b["tasks"]))
        for i, b in apps.items()
        if (per_app[(i, "application.accepted")], per_app[(i, "task.assigned")]) != (1, len(b["tasks"]))
    ]
    assert not wrong, f"{line}; (application, acceptance messages, task messages, tasks): {wrong[:3]}"
    assert all(r["recipient"].startswith("user:") for r in inbox if r["kind"] == "application.accepted")


_REPORTED: list[str] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A whole system restarting on a shared two-core machine: Kafka alone has taken 80 s to come back.
    # Each test still bounds every wait of its own; this only keeps pytest-timeout from cutting a slow
    # run's audit short.
    for item in items:
        if item.path.is_relative_to(_HERE):
            item.add_marker(pytest.mark.timeout(600))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _REPORTED:
        terminalreporter.section("fault tests: the counts they checked")
        for line in _REPORTED:
            terminalreporter.write_line(line)


@pytest.fixture
async def lab(stack: DedicatedStack, sinks: Sinks, request: pytest.FixtureRequest) -> AsyncIterator[Lab]:
    """zhangsan with newborn-birth's materials uploaded once (every submission reuses them), a webhook
    subscription of the matter's first department; the notifications are audited afterwards."""
    async with httpx.AsyncClient(base_url=stack.system.gateway_url, timeout=30) as client:
        headers = await _auth(client, "zhangsan")
        # the first look at the inbox creates zhangsan's profile with the identity's email address
        assert (await client.get("/api/v1/notifications", headers=headers)).status_code == 200
        matter = (await client.get(f"/api/v1/matters/{MATTER}")).json()
        materials = {
            m["material_type"]: await upload_material(client, headers, m["material_type"])
            for m in matter["materials"]
        }
        form = form_from_schema(matter["form_schema"])
        body = {"matter_code": MATTER, "form": form, "materials": materials, "channel": "online"}
        lab = Lab(stack, client, headers, body)
        lab.departments = sorted({item["department"] for item in matter["items"]})
        lab.sinks = sinks
        if not sinks.subscription:
            sinks.subscription = await _subscribe(client, lab.departments[0], sinks.hooks.url)
        first = await _until_acceptance_knows_the_matter(lab)
        assert first.status == 201, first.detail
        yield lab
        await lab.audit_notifications(request.node.name)


async def _auth(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    login = await client.post("/auth/token", json={"username": username, "password": "demo"})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def _subscribe(client: httpx.AsyncClient, department: str, url: str) -> dict[str, str]:
    """The department's officer subscribes ``url`` to its ``task.assigned`` events."""
    headers = await _auth(client, f"officer-{department}")
    body = {"callback_url": url, "event_types": [TASK_ASSIGNED]}
    created = await client.post("/api/v1/subscriptions", json=body, headers=headers)
    assert created.status_code == 201, created.text
    return {"id": created.json()["id"], "department": department}


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
