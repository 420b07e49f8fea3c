"""The bounded stop of a Kafka client (the real broker case: tests/integration/test_bounded_stop.py)."""

import asyncio
import logging
import time

from onematter_kit.kafka import stop_within


class _Client:
    """Anything with ``async stop()`` that takes ``seconds`` (as aiokafka's does when waiting on a broker)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.stopped = asyncio.Event()

    async def stop(self) -> None:
        await asyncio.sleep(self.seconds)
        self.stopped.set()


async def test_a_client_that_stops_in_time_is_stopped_and_nothing_is_logged(caplog):
    client = _Client(0)
    assert await stop_within(client, seconds=1, what="quick") is True
    assert client.stopped.is_set()
    assert not [r for r in caplog.records if r.name == "onematter.kafka"]


async def test_a_stop_past_its_bound_is_cut_logged_and_finishes_in_the_background(caplog):
    caplog.set_level(logging.WARNING, logger="onematter.kafka")
    client = _Client(0.3)
    started = time.monotonic()
    assert await stop_within(client, seconds=0.05, what="slow consumer") is False
    assert time.monotonic() - started < 0.25
    [cut] = [r for r in caplog.records if r.getMessage() == "Kafka client stop cut short"]
    assert (cut.client, cut.after_seconds) == ("slow consumer", 0.05)
    await asyncio.wait_for(client.stopped.wait(), 2)  # not cancelled: it still finishes its stop
