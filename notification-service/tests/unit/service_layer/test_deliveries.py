"""Deliveries on fakes: claiming with a lease, recording attempts, retrying, giving up and reporting."""

from __future__ import annotations

from datetime import timedelta

from onematter_events.notifications import NOTIFICATION_DELIVERED, NOTIFICATION_FAILED
from onematter_notification.adapters.tables import Delivery, Subscription
from onematter_notification.domain.delivery import DeliveryStatus, RetryPolicy
from onematter_notification.service_layer.deliveries import AttemptResult, claim_due, record_attempt

from ..fakes import DEFAULT_NOW, FakeNotificationUnitOfWork

LEASE = timedelta(seconds=60)
POLICY = RetryPolicy(base_seconds=2, cap_seconds=3600, horizon_seconds=3600)


def _webhook(uow: FakeNotificationUnitOfWork, *, department: str | None = "nhc") -> Delivery:
    subscription = Subscription(
        department=department,
        callback_url="https://hooks.example.cn/in",
        event_types=["gov.onematter.task.assigned"],
        secret="whsec_s",
        created_by="o1",
        created_at=DEFAULT_NOW,
    )
    uow.subscriptions.add(subscription)
    delivery = Delivery(
        channel="webhook",
        target_key=subscription.id,
        cause_id="event-1",
        event_type="gov.onematter.task.assigned",
        subscription_id=subscription.id,
        address=subscription.callback_url,
        payload="{}",
        next_attempt_at=DEFAULT_NOW,
        created_at=DEFAULT_NOW,
    )
    uow.deliveries.add(delivery)
    return delivery


def _result(delivery: Delivery, *, ok: bool) -> AttemptResult:
    return AttemptResult(
        delivery_id=delivery.id,
        succeeded=DeliveryStatus.delivered if ok else None,
        status_code=200 if ok else 500,
        error=None if ok else "HTTP 500",
        duration_ms=12,
    )


async def test_claiming_a_due_delivery_leases_it_and_carries_the_subscriptions_secret() -> None:
    uow = FakeNotificationUnitOfWork()
    delivery = _webhook(uow)

    [job] = await claim_due(uow, channels=["webhook"], lease=LEASE, limit=10)

    assert (job.id, job.address, job.secret, job.cause_id) == (
        delivery.id,
        delivery.address,
        "whsec_s",
        "event-1",
    )
    assert delivery.next_attempt_at == DEFAULT_NOW + LEASE and uow.committed
    assert await claim_due(uow, channels=["webhook"], lease=LEASE, limit=10) == []
    assert await claim_due(FakeNotificationUnitOfWork(), channels=[], lease=LEASE, limit=10) == []


async def test_a_successful_attempt_finishes_the_delivery_and_announces_it() -> None:
    uow = FakeNotificationUnitOfWork()
    delivery = _webhook(uow)

    await record_attempt(_result(delivery, ok=True), uow, policy=POLICY)

    assert (delivery.status, delivery.attempts, delivery.finished_at) == ("delivered", 1, DEFAULT_NOW)
    [outcome] = uow.emitted
    assert outcome.type == NOTIFICATION_DELIVERED and outcome.data["recipient"] == "dept:nhc"
    assert [a.ok for a in uow.deliveries.attempts] == [True]


async def test_a_failed_attempt_is_retried_later_and_logged() -> None:
    uow = FakeNotificationUnitOfWork()
    delivery = _webhook(uow)

    await record_attempt(_result(delivery, ok=False), uow, policy=POLICY)

    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, "HTTP 500")
    assert DEFAULT_NOW <= delivery.next_attempt_at <= DEFAULT_NOW + timedelta(seconds=4)
    assert uow.emitted == [] and [(a.ok, a.status_code) for a in uow.deliveries.attempts] == [(False, 500)]


async def test_a_webhook_failing_past_the_horizon_fails_and_is_reported_to_its_department() -> None:
    uow = FakeNotificationUnitOfWork()
    delivery = _webhook(uow)
    await record_attempt(_result(delivery, ok=False), uow, policy=POLICY)
    uow.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]

    await record_attempt(_result(delivery, ok=False), uow, policy=POLICY)

    assert delivery.status == "failed" and delivery.attempts == 2
    [outcome] = uow.emitted
    assert outcome.type == NOTIFICATION_FAILED and outcome.data["error"] == "HTTP 500"
    [report] = uow.messages.rows
    assert (report.recipient, report.kind) == ("dept:nhc", "webhook.failed") and "event-1" in report.body


async def test_a_result_for_a_delivery_that_already_finished_changes_nothing() -> None:
    uow = FakeNotificationUnitOfWork()
    delivery = _webhook(uow)
    await record_attempt(_result(delivery, ok=True), uow, policy=POLICY)

    await record_attempt(_result(delivery, ok=False), uow, policy=POLICY)

    assert delivery.status == "delivered" and len(uow.deliveries.attempts) == 1
