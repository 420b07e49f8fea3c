"""Delivery handlers: claim due deliveries, and record each attempt's result — a retry (exponential
backoff with full jitter, see :mod:`onematter_notification.domain.delivery`) or the end.

At-least-once: a delivery is claimed by pushing its ``next_attempt_at`` one lease ahead (replicas skip
each other's locked rows); if the worker dies mid-attempt the lease runs out and another attempt follows.
Receivers de-duplicate on ``X-OneMatter-Event-Id``. Every finished delivery emits
``notification.delivered`` or ``.failed``; a webhook that failed for good is reported to its department.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, cast

from onematter_events import new_event
from onematter_events import notifications as ev

from onematter_notification.adapters.channels import DeliveryJob
from onematter_notification.adapters.tables import Delivery, DeliveryAttempt
from onematter_notification.domain.delivery import Attempted, DeliveryStatus, RetryPolicy, after_attempt
from onematter_notification.domain.planner import Draft
from onematter_notification.domain.subscriptions import failure_inbox, outcome_recipient
from onematter_notification.service_layer.messages import store_drafts
from onematter_notification.service_layer.unit_of_work import NotificationUnitOfWork

__all__ = ["AttemptResult", "claim_due", "record_attempt"]

_ChannelName = Literal["inbox", "email", "sms", "webhook"]


@dataclass(frozen=True, kw_only=True)
class AttemptResult:
    """What one attempt of a delivery came to: ``succeeded`` (``sent``/``delivered``) or ``error``."""

    delivery_id: str
    succeeded: DeliveryStatus | None
    status_code: int | None
    error: str | None
    duration_ms: int


async def claim_due(
    uow: NotificationUnitOfWork, *, channels: Collection[str], lease: timedelta, limit: int
) -> list[DeliveryJob]:
    """Claim up to ``limit`` due deliveries of ``channels`` for one ``lease``; the jobs to attempt."""
    if not channels:
        return []
    async with uow:
        now, jobs = uow.clock.now(), []
        for row in await uow.deliveries.due(now=now, channels=channels, limit=limit):
            row.next_attempt_at = now + lease
            subscription = await uow.subscriptions.get(row.subscription_id) if row.subscription_id else None
            secret = subscription.secret if subscription else None
            jobs.append(DeliveryJob(row.id, row.channel, row.address, row.payload, row.cause_id, secret))
        await uow.commit()
    return jobs


async def record_attempt(result: AttemptResult, uow: NotificationUnitOfWork, *, policy: RetryPolicy) -> None:
    """Record the attempt and schedule the next one, or finish the delivery (and announce it)."""
    async with uow:
        row = await uow.deliveries.get(result.delivery_id)
        if row is None or row.status != DeliveryStatus.pending:
            return  # finished meanwhile (a lease ran out and another attempt won)
        now = uow.clock.now()
        state = after_attempt(
            attempts=row.attempts,
            first_attempt_at=row.first_attempt_at,
            succeeded=result.succeeded,
            now=now,
            policy=policy,
        )
        _apply(row, state, error=result.error)
        uow.deliveries.add_attempt(
            DeliveryAttempt(
                delivery_id=row.id,
                number=state.attempts,
                attempted_at=now,
                ok=result.succeeded is not None,
                status_code=result.status_code,
                error=result.error,
                duration_ms=result.duration_ms,
            )
        )
        if state.finished:
            await _finish(uow, row)
        await uow.commit()


def _apply(row: Delivery, state: Attempted, *, error: str | None) -> None:
    row.attempts, row.first_attempt_at, row.status = state.attempts, state.first_attempt_at, state.status
    row.finished_at, row.last_error = state.finished_at, error
    if state.next_attempt_at is not None:
        row.next_attempt_at = state.next_attempt_at


async def _finish(uow: NotificationUnitOfWork, row: Delivery) -> None:
    subscription = await uow.subscriptions.get(row.subscription_id) if row.subscription_id else None
    department = subscription.department if subscription else None
    failed = row.status == DeliveryStatus.failed
    outcome = ev.NotificationOutcome(
        notification_id=row.message_id or row.id,
        recipient=outcome_recipient(
            target_key=row.target_key, subscription_id=row.subscription_id, department=department
        ),
        channel=cast(_ChannelName, row.channel),
        cause_event_id=row.cause_id if row.channel == "webhook" else None,
        attempts=row.attempts,
        finished_at=row.finished_at or uow.clock.now(),
        error=row.last_error if failed else None,
    )
    uow.emit(new_event(ev.NOTIFICATION_FAILED if failed else ev.NOTIFICATION_DELIVERED, outcome))
    if failed and subscription is not None:
        params = {
            "subscription_id": subscription.id,
            "callback_url": subscription.callback_url,
            "event_type": row.event_type,
            "event_id": row.cause_id,
            "attempts": row.attempts,
            "error": row.last_error,
        }
        draft = Draft(failure_inbox(department), "webhook.failed", params)
        await store_drafts(uow, [draft], cause_id=row.id, channels=())
