"""A webhook that keeps failing is retried on schedule and marked failed, on SQLite and on PostgreSQL.

Issue 19: on SQLite the second failed attempt crashed the retry code (an instant read back without its
offset was subtracted from an aware "now"), so retries fell back to the one-minute lease, attempts were
undercounted and a dead endpoint was never marked failed.

Expected values, worked by hand from the policy (base 2 s, cap 60 s, horizon 300 s) and the documented
rule (``domain/delivery.py``: after ``n`` failures the next try is
``now + uniform(0, min(cap, base * 2**n))``; give up once ``now - first attempt >= horizon``), with the
clock moved 61 s (more than the cap) per round:

| round | now (s) | attempts after | status  | next try within (s after now) |
|-------|---------|----------------|---------|-------------------------------|
| 1     | 0       | 1              | pending | 4                             |
| 2     | 61      | 2              | pending | 8                             |
| 3     | 122     | 3              | pending | 16                            |
| 4     | 183     | 4              | pending | 32                            |
| 5     | 244     | 5              | pending | 60                            |
| 6     | 305     | 6              | failed  | —                             |
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import onematter_notification
import pytest
from onematter_clock import FixedClock
from onematter_events import notifications as ev
from onematter_kit.database import create_engine, create_session_factory
from onematter_kit.migrations import upgrade_to_head
from onematter_kit.tables import OutboxMessage
from onematter_notification.adapters.channels import Channel, DeliveryError, DeliveryJob, SendResult
from onematter_notification.adapters.tables import Delivery, DeliveryAttempt
from onematter_notification.domain.delivery import RetryPolicy
from onematter_notification.service_layer.unit_of_work import SqlNotificationUnitOfWork
from onematter_notification.service_layer.workers import DeliveryWorker
from sqlmodel import col, select

pytestmark = pytest.mark.integration

START = datetime(2026, 5, 6, 1, 30, tzinfo=UTC)
SCHEDULE = [(0, 1, "pending", 4), (61, 2, "pending", 8), (122, 3, "pending", 16), (183, 4, "pending", 32)]
SCHEDULE += [(244, 5, "pending", 60), (305, 6, "failed", None)]


class DeadEndpoint(Channel):
    name = "webhook"

    def __init__(self) -> None:
        self.calls = 0

    async def send(self, job: DeliveryJob) -> SendResult:
        self.calls += 1
        raise DeliveryError("HTTP 503", status_code=503)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """The same test on SQLite (``make run``) and on PostgreSQL (tests, compose)."""
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "fresh_database_url"))


@pytest.fixture
async def session_factory(database_url: str):  # type: ignore[no-untyped-def]
    url = database_url
    await upgrade_to_head(Path(onematter_notification.__file__).parent / "migrations", url)
    engine = create_engine(url)
    yield create_session_factory(engine)
    await engine.dispose()


async def _delivery(new_uow) -> str:  # type: ignore[no-untyped-def]
    async with new_uow() as uow:
        row = Delivery(
            channel="webhook",
            target_key="subscription-1",
            cause_id="event-1",
            address="https://hooks.example.org/onematter",
            payload="{}",
            next_attempt_at=START,
            created_at=START,
        )
        uow.deliveries.add(row)
        await uow.commit()
        return row.id


async def _state(new_uow, delivery_id: str) -> tuple[Delivery, list[DeliveryAttempt], list[str]]:  # type: ignore[no-untyped-def]
    async with new_uow() as uow:
        row = await uow.deliveries.get(delivery_id)
        attempts = (await uow.deliveries.attempts_of([delivery_id]))[delivery_id]
        types = (await uow.session.execute(select(col(OutboxMessage.event_type)))).scalars().all()
        return row, attempts, list(types)


async def test_a_dead_webhook_is_retried_on_schedule_and_marked_failed_after_the_horizon(
    session_factory,
) -> None:
    clock = FixedClock(START)

    def new_uow() -> SqlNotificationUnitOfWork:
        return SqlNotificationUnitOfWork(session_factory, clock=clock)

    dead = DeadEndpoint()
    worker = DeliveryWorker(
        uow_factory=new_uow,
        channels={"webhook": dead},
        policy=RetryPolicy(base_seconds=2, cap_seconds=60, horizon_seconds=300),
    )
    delivery_id = await _delivery(new_uow)

    for offset, attempts, status, within in SCHEDULE:
        clock.set(START + timedelta(seconds=offset))
        assert await worker.run_once() == 1
        row, tried, _ = await _state(new_uow, delivery_id)
        assert (row.attempts, row.status, len(tried)) == (attempts, status, attempts)
        assert [a.number for a in tried] == list(range(1, attempts + 1))
        assert tried[-1].attempted_at == clock.now() and tried[-1].status_code == 503
        if within is not None:
            assert clock.now() <= row.next_attempt_at <= clock.now() + timedelta(seconds=within)

    row, _, types = await _state(new_uow, delivery_id)
    assert row.finished_at == START + timedelta(seconds=305) and row.first_attempt_at == START
    assert types == [ev.NOTIFICATION_FAILED]
    clock.set(START + timedelta(hours=2))
    assert await worker.run_once() == 0 and dead.calls == 6
