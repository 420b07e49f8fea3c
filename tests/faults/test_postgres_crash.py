"""PostgreSQL crashed (immediate shutdown: no checkpoint, nothing rolled back, as in a power cut of the
server process) under a bounded load of submissions, on a cluster with production durability (fsync,
synchronous_commit, full_page_writes on; see the ``stack`` fixture).

The promise: every submission the client saw answered 201 is there after the recovery, exactly once — in
acceptance's database and as one ``application.accepted`` event on Kafka; every request the crash met was
refused cleanly (503 problem+json, quickly) and, retried with its Idempotency-Key, is stored once too.
"""

from __future__ import annotations

import asyncio
import time

import pytest

pytestmark = pytest.mark.e2e

OUTAGE_SECONDS = 3.0


async def test_every_acknowledged_submission_survives_a_postgres_crash_exactly_once(lab, stack) -> None:  # type: ignore[no-untyped-def]
    before = await lab.total()
    lab.emails_at_least_once = True  # the notification service's database goes down too

    async def crash() -> None:
        await asyncio.sleep(4.0)  # the load is running: commits are in flight when it crashes
        await asyncio.to_thread(stack.postgres.crash)
        await asyncio.sleep(OUTAGE_SECONDS)
        started = time.monotonic()
        await asyncio.to_thread(stack.postgres.start)
        print(f"PostgreSQL recovered and accepted connections after {time.monotonic() - started:.1f} s")

    stream = lab.stream(seconds=OUTAGE_SECONDS + 10, workers=3, max_count=300, pause=0.05, tag="pgcrash")
    outcomes, _ = await asyncio.gather(stream, crash())

    acknowledged = {o.body["acceptance_number"] for o in outcomes if o.status == 201}
    refused = [o for o in outcomes if o.status != 201]
    stored = await _stored(lab, acknowledged)
    published = await lab.accepted_on_kafka(acknowledged)
    line = lab.report(
        "postgres crash",
        submitted=len(outcomes),
        acknowledged=len(acknowledged),
        refused_503=sum(o.status == 503 for o in refused),
        stored_once=sum(n == 1 for n in stored.values()),
        published_once=sum(len(ids) == 1 for ids in published.values()),
        slowest_ms=int(max(o.elapsed for o in outcomes) * 1000),
    )
    assert refused, f"{line}: no request met the crash, so this proved nothing"
    assert acknowledged, f"{line}: nothing was acknowledged"
    lost = acknowledged - set(stored)
    assert not lost, f"{line}: acknowledged but lost in the crash: {sorted(lost)[:5]}"
    assert set(stored.values()) == {1}, f"{line}: stored more than once: {stored}"
    assert set(published) == acknowledged, f"{line}: never published: {sorted(acknowledged - set(published))}"
    assert all(len(ids) == 1 for ids in published.values()), f"{line}: accepted twice: {published}"
    _assert_refused_cleanly(line, refused)
    # every retried key ends up stored once, its tasks published and applied once
    await lab.audit("postgres crash", outcomes, total_before=before)


async def _stored(lab, numbers: set[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    rows = await lab.query(
        "acceptance",
        "SELECT acceptance_number, count(*) AS n FROM acceptance_applications "
        "WHERE acceptance_number = ANY($1) GROUP BY acceptance_number",
        list(numbers),
    )
    return {r["acceptance_number"]: int(r["n"]) for r in rows}


def _assert_refused_cleanly(line: str, refused) -> None:  # type: ignore[no-untyped-def]
    """503 problem+json that says to retry, answered within 10 s (not a hang, not a 500)."""
    others = [(o.status, o.detail) for o in refused if o.status != 503]
    assert not others, f"{line}: refused otherwise than with 503: {others[:3]}"
    for outcome in refused:
        assert outcome.elapsed < 10, f"{line}: a refusal took {outcome.elapsed:.1f} s"
        assert outcome.headers["content-type"].startswith("application/problem+json"), outcome.headers
        problem = outcome.body
        assert problem["status"] == 503 and problem["type"].endswith("/service-unavailable"), problem
        assert "retry" in problem["detail"].lower(), problem
