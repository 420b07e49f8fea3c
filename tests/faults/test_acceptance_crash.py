"""kill -9 of the acceptance service in the middle of a stream of submissions (a crash, no shutdown hooks).

The promise: every submission answered 201 is stored exactly once and its department tasks reach Kafka,
each applied once downstream. Submissions that got no answer are retried with the same Idempotency-Key,
as a client must, and then exist exactly once too.
"""

from __future__ import annotations

import asyncio
import time

import pytest

pytestmark = pytest.mark.e2e


async def test_every_acknowledged_submission_survives_a_kill_9_of_acceptance_exactly_once(lab, stack) -> None:  # type: ignore[no-untyped-def]
    before = await lab.total()

    async def crash() -> None:
        await asyncio.sleep(4.0)
        await asyncio.to_thread(stack.system.kill, "acceptance")
        await asyncio.sleep(1.0)
        started = time.monotonic()
        await asyncio.to_thread(stack.system.restart, "acceptance", timeout=90)  # a loaded machine
        print(f"acceptance back after {time.monotonic() - started:.1f} s")

    outcomes, _ = await asyncio.gather(lab.stream(seconds=10, workers=3, pause=0.05, tag="kill"), crash())

    failed = [o for o in outcomes if o.status != 201]
    counts = await lab.audit("kill -9 acceptance", outcomes, total_before=before)
    assert failed, f"{counts}: the crash did not interrupt any submission, so this proved nothing"
    assert counts["acknowledged"] > 0 and counts["acknowledged"] < counts["submitted"], counts
