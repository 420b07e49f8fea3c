"""Every service twice on one PostgreSQL and one Kafka (issue 19, item 5).

Each service but the gateway runs as two replicas with their own ports, the same database and the same
consumer groups, behind a round-robin TCP balancer per service (the local stand-in for a Kubernetes
Service; see ``onematter_devtools.balancer``). Everything is checked from the outside: the replicas'
``/metrics``, Kafka's admin API, PostgreSQL's statement log and the databases.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer
from onematter_devtools.probes import (
    LOG_PREFIX,
    consumer_groups,
    local_ports,
    overlapping,
    publishing_transactions,
    requests_served,
)
from onematter_devtools.stack import DedicatedStack
from onematter_events import CloudEvent, Stream, topic_name

pytestmark = pytest.mark.e2e

PREFIX = "replicas."


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, sinks: Any, notification_env: dict[str, str]
) -> Iterator[DedicatedStack]:
    """Overrides the fault suite's stack for this module: the same system, every service twice, its
    notification replicas sending to the suite's mail and webhook sinks, so the lab's audit holds here too
    (the department's webhook subscription is made anew on this stack)."""
    gateway = {"RATE_LIMIT_IDENTITY_PER_SECOND": "10000", "RATE_LIMIT_IDENTITY_BURST": "10000"}
    started = DedicatedStack(
        tmp_path_factory.mktemp("replica-stack"),
        topic_prefix=PREFIX,
        extra_env={"gateway": gateway, "notification": notification_env},
        replicas=2,
    )
    subscription, sinks.subscription = sinks.subscription, None
    try:
        started.start()
        yield started
    finally:
        sinks.subscription = subscription
        started.stop()


async def test_both_replicas_serve_the_api_and_answer_alike(lab, stack) -> None:  # type: ignore[no-untyped-def]
    first = await lab.submit("both-serve")
    assert first.status == 201, first.detail
    number = first.body["acceptance_number"]
    replicas = stack.system.instances("acceptance")
    before = [
        await asyncio.to_thread(requests_served, stack.system.instance_url(r), route_part="/applications/")
        for r in replicas
    ]

    gate = asyncio.Semaphore(8)  # eight at a time: the gateway opens several connections, each balanced

    async def read() -> tuple[int, str]:
        async with gate:
            response = await lab.read(number)
            return response.status_code, response.text

    answers = await asyncio.gather(*(read() for _ in range(40)))
    after = [
        await asyncio.to_thread(requests_served, stack.system.instance_url(r), route_part="/applications/")
        for r in replicas
    ]
    served = {r: a - b for r, a, b in zip(replicas, after, before, strict=True)}
    lab.report(
        "two replicas: reads", requests=len(answers), **{r.replace("-", "_"): n for r, n in served.items()}
    )
    assert {status for status, _ in answers} == {200}
    assert len({text for _, text in answers}) == 1, "the replicas answered the same read differently"
    assert all(n > 0 for n in served.values()), f"a replica served none of the reads: {served}"
    assert sum(served.values()) >= len(answers), served


async def test_each_consumer_group_has_both_replicas_and_splits_its_partitions(lab, stack) -> None:  # type: ignore[no-untyped-def]
    # Settled: every group stable with both replicas as members, each holding partitions (a group that
    # subscribes by pattern gets its partitions after its next metadata refresh, within seconds).
    async def settled() -> list[Any] | None:
        groups = await asyncio.to_thread(consumer_groups, stack.kafka, PREFIX)
        split = [g for g in groups if g.state == "STABLE" and len(g.members) == 2 and all(g.members.values())]
        return groups if groups and len(split) == len(groups) else None

    groups = await _poll(settled, within=60) or await asyncio.to_thread(consumer_groups, stack.kafka, PREFIX)
    for group in groups:
        sizes = sorted(len(p) for p in group.members.values())
        lab.report(
            f"two replicas: group {group.group}",
            members=len(group.members),
            partitions_each=sizes[0],
            partitions_other=sizes[-1],
        )
    assert groups, "no consumer group of the stack found"
    for group in groups:
        assert group.state == "STABLE" and len(group.members) == 2, (
            group.group,
            group.state,
            len(group.members),
        )
        assigned = list(group.members.values())
        assert not (assigned[0] & assigned[1]), f"{group.group}: a partition assigned to both replicas"
        assert all(assigned), f"{group.group}: a replica without partitions: {group.members}"


async def test_one_outbox_relay_publishes_at_a_time(lab, stack) -> None:  # type: ignore[no-untyped-def]
    # Every statement of the cluster is logged while the load runs; the relays' publishing transactions
    # (claim unpublished rows → Kafka → mark them sent → commit) are read back from that log.
    log = stack.postgres.log_file
    # Start from relays in their steady state (a fresh stack's first events wait for the topics).
    assert await lab.submit("relay-warm") and await _poll(lambda: _outbox_drained(lab), within=90)
    await _admin(
        stack,
        "ALTER SYSTEM SET log_min_duration_statement = 0",
        f"ALTER SYSTEM SET log_line_prefix = '{LOG_PREFIX}'",
    )
    since = log.stat().st_size
    owners: dict[int, str] = {}  # database backend pid → the replica on the other end
    done = asyncio.Event()

    async def watch_connections() -> None:
        while not done.is_set():
            owners.update(await _connection_owners(lab, stack, "acceptance"))
            await asyncio.sleep(0.5)

    watcher = asyncio.create_task(watch_connections())
    try:
        outcomes = await lab.stream(seconds=8, workers=4, max_count=300, tag="relay")
        drained = await _poll(lambda: _outbox_drained(lab), within=60)
    finally:
        done.set()
        await watcher
        await _admin(
            stack, "ALTER SYSTEM RESET log_min_duration_statement", "ALTER SYSTEM RESET log_line_prefix"
        )
    transactions = publishing_transactions(log, stack.databases["acceptance"], since=since)
    with log.open("rb") as source:  # kept next to the stack's logs for a reader of a failure
        source.seek(since)
        (stack.work_dir / "relay-statements.log").write_bytes(source.read())
    clashes = overlapping(transactions)
    by_replica = Counter(owners.get(t.backend, "unknown").replace("-", "_") for t in transactions)
    line = lab.report(
        "two replicas: outbox relay",
        submitted=len(outcomes),
        acknowledged=sum(o.status == 201 for o in outcomes),
        publishing_transactions=len(transactions),
        publishing_connections=len({t.backend for t in transactions}),
        overlapping=len(clashes),
        **{f"published_by_{name}": n for name, n in sorted(by_replica.items())},
    )
    assert drained, f"{line}; acceptance's outbox never drained"
    assert len(transactions) >= 2, f"{line}; too few publishing transactions to compare"
    assert not clashes, f"{line}; relays published at the same time, e.g. {clashes[:2]}"


@pytest.mark.parametrize("service", ["acceptance", "notification"])
async def test_a_kill_9_of_one_replica_under_load_loses_and_doubles_nothing(lab, stack, service: str) -> None:  # type: ignore[no-untyped-def]
    victim = stack.system.instances(service)[0]
    before = await lab.total()
    # SMTP has no idempotency key: a notification replica killed between the server's 250 and its record
    # sends that mail again (same Message-ID, one delivery row), as in the suite's other notification crashes
    lab.emails_at_least_once = service == "notification"
    window: dict[str, float] = {}

    async def crash() -> None:
        await asyncio.sleep(3.0)
        await asyncio.to_thread(stack.system.kill, victim)
        window["down"] = time.monotonic()
        await asyncio.sleep(4.0)
        window["up"] = time.monotonic()
        await asyncio.to_thread(lambda: stack.system.restart(victim, timeout=120))  # shared CPUs: slow

    outcomes, _ = await asyncio.gather(
        lab.stream(seconds=10, workers=3, max_count=300, pause=0.05, tag=f"kill-{service}"), crash()
    )

    while_down = [
        o for o in outcomes if window["down"] <= o.started and o.started + o.elapsed <= window["up"]
    ]
    counts = await lab.audit(f"kill -9 {victim} (of two)", outcomes, total_before=before)
    settled = await lab.settle(outcomes)
    notified = await _notifications_once(lab, stack, settled)
    lab.report(
        f"kill -9 {victim} (of two): notifications",
        accepted_while_down=sum(o.status == 201 for o in while_down),
        **notified,
    )
    assert any(o.status == 201 for o in while_down), f"{counts}: nothing was accepted while {victim} was down"
    assert notified["messages"] == notified["applications"] == notified["events"], notified
    assert notified["applied"] == notified["events"], notified


async def _notifications_once(lab, stack, settled: list[Any]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Each application's ``application.accepted`` message in the applicant's inbox (exactly once, by
    count per application), its event on Kafka and the notification service's record of applying it."""
    ids = {o.body["id"] for o in settled}

    async def messages() -> dict[str, int] | None:
        rows = await lab.query(
            "notification",
            "SELECT application_id, count(*) AS n FROM notification_messages "
            "WHERE kind = 'application.accepted' AND application_id = ANY($1) GROUP BY application_id",
            list(ids),
        )
        found = {r["application_id"]: int(r["n"]) for r in rows}
        return found if len(found) == len(ids) else None

    found = await _poll(messages, within=90) or {}
    events = await _accepted_events(stack, ids, within=30)
    applied = await lab.query(
        "notification",
        "SELECT event_id FROM processed_events WHERE event_id = ANY($1)",
        list(events.values()),
    )
    doubled = {a: n for a, n in found.items() if n != 1}
    assert not doubled, f"applications with more than one acceptance message: {list(doubled.items())[:3]}"
    return {
        "applications": len(ids),
        "messages": sum(found.values()),
        "events": len(events),
        "applied": len(applied),
    }


async def _accepted_events(stack: DedicatedStack, ids: set[str], *, within: float) -> dict[str, str]:
    """``application id → event id`` of the ``application.accepted`` events of these applications."""
    consumer = AIOKafkaConsumer(
        topic_name(Stream.applications, PREFIX),
        **stack.kafka.admin_options(),
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    found: dict[str, set[str]] = {}
    await consumer.start()
    deadline = time.monotonic() + within
    try:
        while len(found) < len(ids) and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    event = CloudEvent.from_bytes(record.value)
                    if (
                        event.type.endswith("application.accepted")
                        and event.data.get("application_id") in ids
                    ):
                        found.setdefault(event.data["application_id"], set()).add(event.id)
    finally:
        await consumer.stop()
    doubled = {a: e for a, e in found.items() if len(e) > 1}
    assert not doubled, f"applications accepted by more than one event: {list(doubled.items())[:3]}"
    return {a: next(iter(e)) for a, e in found.items()}


async def _connection_owners(lab, stack: DedicatedStack, service: str) -> dict[int, str]:  # type: ignore[no-untyped-def]
    """``backend pid → replica`` for the service's open database connections: the client port
    PostgreSQL reports, matched with the local ports of each replica's process."""
    rows = await lab.query(
        service, "SELECT pid, client_port FROM pg_stat_activity WHERE datname = current_database()"
    )
    ports = {
        replica: await asyncio.to_thread(local_ports, stack.system.processes[replica].pid)
        for replica in stack.system.instances(service)
        if stack.system.processes[replica].poll() is None
    }
    return {r["pid"]: replica for r in rows for replica, held in ports.items() if r["client_port"] in held}


async def _outbox_drained(lab) -> bool:  # type: ignore[no-untyped-def]
    rows = await lab.query(
        "acceptance", "SELECT count(*) AS n FROM outbox_messages WHERE published_at IS NULL"
    )
    return int(rows[0]["n"]) == 0


async def _admin(stack: DedicatedStack, *statements: str) -> None:
    """Cluster settings as the superuser, then a configuration reload (applies to open sessions too)."""

    connection = await asyncpg.connect(stack.dsn())
    try:
        for statement in statements:
            await connection.execute(statement)
        await connection.execute("SELECT pg_reload_conf()")
    finally:
        await connection.close()


async def _poll(probe: Callable[[], Awaitable[Any]], *, within: float, interval: float = 0.5) -> Any:
    """``probe()`` until it returns something truthy, or None after ``within`` s (the caller asserts)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if result := await probe():
            return result
        await asyncio.sleep(interval)
    return None
