import asyncio
import logging

import pytest
from onematter_kit.backoff import Backoff, retry, run_forever

log = logging.getLogger("onematter.test.backoff")


def test_backoff_doubles_up_to_its_maximum_and_starts_again_after_a_reset():
    backoff = Backoff(initial=0.5, maximum=3)
    assert [backoff.next_delay() for _ in range(5)] == [0.5, 1.0, 2.0, 3, 3]
    backoff.reset()
    assert backoff.next_delay() == 0.5


def _failing(times: int, result: str = "done", *, enough: int = 0):
    """A step that fails ``times`` times, then succeeds; ``reached`` is set after ``enough`` calls."""
    calls: list[int] = []
    reached = asyncio.Event()

    async def step() -> str:
        calls.append(1)
        if len(calls) >= enough:
            reached.set()
        if len(calls) <= times:
            raise ConnectionError(f"down ({len(calls)})")
        return result

    return step, calls, reached


async def test_retry_returns_the_first_success_and_logs_each_failure_with_its_delay(caplog):
    caplog.set_level(logging.WARNING, logger="onematter.test")
    step, calls, _ = _failing(2)
    got = await retry(
        step, backoff=Backoff(initial=0.001, maximum=0.002), log=log, what="down", context={"x": 1}
    )
    assert (got, len(calls)) == ("done", 3)
    failures = [r for r in caplog.records if r.getMessage() == "down"]
    assert [(r.error, r.retry_in, r.x) for r in failures] == [
        ("ConnectionError: down (1)", 0.001, 1),
        ("ConnectionError: down (2)", 0.002, 1),
    ]


async def test_retry_never_swallows_cancellation():
    started = asyncio.Event()

    async def step() -> None:
        started.set()
        await asyncio.Event().wait()

    task = asyncio.create_task(retry(step, backoff=Backoff(), log=log, what="never"))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_run_forever_starts_again_from_the_shortest_delay_after_a_success():
    backoff = Backoff(initial=0.001, maximum=1.0)
    step, _, reached = _failing(3, enough=5)
    task = asyncio.create_task(run_forever(step, every=0, backoff=backoff, log=log, what="down"))
    await asyncio.wait_for(reached.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert backoff.next_delay() == 0.001
