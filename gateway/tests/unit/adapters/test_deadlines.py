"""The hop's response-head deadlines: one timer for many futures, kept to within a tick (0.1 s)."""

from __future__ import annotations

import asyncio

import pytest
from onematter_gateway.adapters.deadlines import Deadlines


async def test_a_future_not_answered_by_its_deadline_fails_with_a_timeout() -> None:
    loop = asyncio.get_running_loop()
    deadlines = Deadlines(loop)
    started = loop.time()
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(deadlines.wait(loop.create_future(), 0.15), timeout=5)
    assert 0.15 <= loop.time() - started < 0.15 + 0.1 + 0.5  # the deadline, a tick, scheduling slack


async def test_an_answered_future_is_forgotten_and_the_timer_stops() -> None:
    loop = asyncio.get_running_loop()
    deadlines = Deadlines(loop)
    future: asyncio.Future[None] = loop.create_future()
    waiting = deadlines.wait(future, 0.15)
    future.set_result(None)
    await waiting
    for _ in range(100):  # the next tick (0.1 s) forgets it and, with nothing left, disarms
        if not deadlines._armed:
            break
        await asyncio.sleep(0.02)
    assert deadlines._pending == {} and not deadlines._armed
    assert future.result() is None


async def test_no_timeout_means_the_future_itself_without_a_timer() -> None:
    loop = asyncio.get_running_loop()
    deadlines = Deadlines(loop)
    future: asyncio.Future[None] = loop.create_future()
    assert deadlines.wait(future, None) is future
    assert not deadlines._armed
    future.cancel()
