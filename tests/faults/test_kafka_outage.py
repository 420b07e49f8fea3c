"""Kafka stopped for 30 s in the middle of submissions (part of `make test`: it costs about a minute).

The promise: submissions keep being accepted (the events wait in the outbox, committed with the
application); when Kafka returns, every task event is delivered and each is applied once.
"""

from __future__ import annotations

import asyncio
import time

import pytest

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("outage_seconds", [30.0])
async def test_submissions_are_accepted_while_kafka_is_down_and_every_event_arrives_once_after(  # type: ignore[no-untyped-def]
    lab, stack, outage_seconds: float
) -> None:
    before = await lab.total()
    window: dict[str, float] = {}
    over = asyncio.Event()

    async def outage() -> None:
        await asyncio.sleep(1.0)
        stopping = time.monotonic()
        await asyncio.to_thread(stack.kafka.stop)
        window["down"] = time.monotonic()
        await asyncio.sleep(outage_seconds)
        window["up"] = time.monotonic()
        await asyncio.to_thread(stack.kafka.start)
        print(
            f"Kafka stopped in {window['down'] - stopping:.1f} s, was down {outage_seconds:.0f} s, "
            f"started again in {time.monotonic() - window['up']:.1f} s"
        )
        await asyncio.sleep(2.0)
        over.set()

    outcomes, _ = await asyncio.gather(
        lab.stream(seconds=outage_seconds + 120, workers=2, pause=0.25, tag="kafka", until=over), outage()
    )

    during = [o for o in outcomes if window["down"] <= o.started <= window["up"]]
    accepted_during = sum(o.status == 201 for o in during)
    refused = [(o.status, o.detail) for o in outcomes if o.status != 201]
    lab.report("kafka outage", submitted_while_down=len(during), accepted_while_down=accepted_during)
    assert not refused, f"submissions refused around the outage: {refused[:3]}"
    assert accepted_during > 0 and accepted_during == len(during), (accepted_during, len(during))

    audit_started = time.monotonic()
    counts = await lab.audit("kafka outage", outcomes, total_before=before, within=120)
    print(
        f"every event delivered and applied {time.monotonic() - audit_started:.1f} s after the stream ended"
    )

    async def backlog() -> int:
        rows = await lab.query(
            "acceptance", "SELECT count(*) AS n FROM outbox_messages WHERE published_at IS NULL"
        )
        return int(rows[0]["n"])

    for _ in range(60):
        if (waiting := await backlog()) == 0:
            break
        await asyncio.sleep(0.5)
    assert waiting == 0, f"{counts}: {waiting} events still wait in acceptance's outbox"
