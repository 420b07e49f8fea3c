"""PostgreSQL restarted in the middle of submissions (every service's database is on that cluster).

The promise: a request during the outage fails fast with 503 and a problem+json that says what to do
(not a 500, not a hang); nothing is half-written (no application without its tasks and its events);
the services recover on their own, without a restart.
"""

from __future__ import annotations

import asyncio
import time

import pytest

pytestmark = pytest.mark.e2e

OUTAGE_SECONDS = 5.0


async def test_requests_during_a_postgres_restart_get_a_clear_503_and_nothing_is_half_written(  # type: ignore[no-untyped-def]
    lab, stack
) -> None:
    before = await lab.total()
    lab.emails_at_least_once = True  # the notification service's database goes down too
    pids = {name: proc.pid for name, proc in stack.system.processes.items()}
    window: dict[str, float] = {}

    async def restart() -> None:
        await asyncio.sleep(1.5)
        window["down"] = time.monotonic()
        await asyncio.to_thread(stack.postgres.stop)
        await asyncio.sleep(OUTAGE_SECONDS)
        await asyncio.to_thread(stack.postgres.start)
        window["up"] = time.monotonic()

    outcomes, _ = await asyncio.gather(lab.stream(seconds=OUTAGE_SECONDS + 6, workers=3, tag="pg"), restart())

    refused = [o for o in outcomes if o.status != 201]
    statuses = sorted({o.status for o in outcomes})
    slowest = max(o.elapsed for o in outcomes)
    lab.report(
        "postgres restart",
        submitted=len(outcomes),
        acknowledged=len(outcomes) - len(refused),
        refused_503=sum(o.status == 503 for o in refused),
        slowest_ms=int(slowest * 1000),
    )
    assert refused, "no request met the outage, so this proved nothing"
    others = [o.detail for o in refused if o.status != 503]
    assert set(statuses) <= {201, 503}, f"statuses {statuses}: {others[:3]}"
    assert slowest < 10, f"a request took {slowest:.1f} s: the outage must fail fast, not hang"
    for outcome in refused:
        assert outcome.headers["content-type"].startswith("application/problem+json"), outcome.headers
        problem = outcome.body
        assert problem["status"] == 503 and problem["type"].endswith("/service-unavailable"), problem
        assert "retry" in problem["detail"].lower(), problem
        assert "Traceback" not in outcome.detail and "asyncpg" not in outcome.detail, outcome.detail

    # Recovered without a restart: the same processes answer and every promise of a 201 holds.
    assert {n: p.pid for n, p in stack.system.processes.items()} == pids
    assert not stack.system.dead()
    await lab.audit("postgres restart", outcomes, total_before=before)
    half = await lab.query(
        "acceptance",
        """
        SELECT a.acceptance_number FROM acceptance_applications a
        WHERE NOT EXISTS (SELECT 1 FROM acceptance_tasks t WHERE t.application_id = a.id)
           OR NOT EXISTS (SELECT 1 FROM outbox_messages o WHERE o.key = a.id
                          AND o.event_type = 'gov.onematter.application.accepted')""",
    )
    assert not half, f"half-written applications: {[r['acceptance_number'] for r in half][:5]}"
