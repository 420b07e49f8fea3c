"""The delivery worker: claims due deliveries, hands each to its channel, records the attempt, and
schedules a retry (exponential backoff with full jitter) or gives up after the retry horizon.

At-least-once: a delivery is claimed by pushing its ``next_attempt_at`` one lease ahead (rows locked with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so replicas never claim the same row); if the worker dies
mid-attempt the lease runs out and another attempt follows. Receivers de-duplicate on
``X-OneMatter-Event-Id``. Every finished delivery emits ``notification.delivered`` or ``.failed``; a failed
webhook is also reported to its department's inbox.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from datetime import timedelta

from onematter_events import new_event
from onematter_events import notifications as ev
from onematter_kit.database import is_postgres
from onematter_kit.identity import Role
from onematter_kit.tables import utcnow
from sqlalchemy import select

from onematter_notification.adapters.channels import Channel, DeliveryError, DeliveryJob, SendResult
from onematter_notification.adapters.tables import Delivery, DeliveryAttempt, Subscription
from onematter_notification.domain.delivery import DeliveryStatus, RetryPolicy
from onematter_notification.domain.planner import Draft
from onematter_notification.domain.recipients import department_inbox, role_inbox
from onematter_notification.service_layer.messages import store_drafts
from onematter_notification.service_layer.signals import NotificationUnitOfWork

__all__ = ["DeliveryWorker"]


class DeliveryWorker:
    def __init__(
        self,
        *,
        uow_factory: Callable[[], NotificationUnitOfWork],
        channels: Mapping[str, Channel],
        policy: RetryPolicy,
        lease_seconds: float = 60.0,
        batch_size: int = 50,
    ) -> None:
        self._uow_factory, self._channels, self._policy = uow_factory, channels, policy
        self._lease, self._batch = lease_seconds, batch_size

    async def run_once(self) -> int:
        """Attempt every due delivery once (concurrently); returns how many were attempted."""
        jobs = await self._claim()
        await asyncio.gather(*(self._attempt(job) for job in jobs))
        return len(jobs)

    async def _claim(self) -> list[DeliveryJob]:
        if not self._channels:
            return []
        async with self._uow_factory() as uow:
            now = utcnow()
            query = (
                select(Delivery)
                .where(
                    Delivery.status == DeliveryStatus.pending,
                    Delivery.next_attempt_at <= now,
                    Delivery.channel.in_(list(self._channels)),
                )  # type: ignore[attr-defined]
                .order_by(Delivery.next_attempt_at)
                .limit(self._batch)
            )
            if is_postgres(uow.session.bind):  # type: ignore[arg-type]
                query = query.with_for_update(skip_locked=True)
            rows = list((await uow.session.execute(query)).scalars())
            jobs = []
            for row in rows:
                row.next_attempt_at = now + timedelta(seconds=self._lease)
                jobs.append(
                    DeliveryJob(
                        row.id,
                        row.channel,
                        row.address,
                        row.payload,
                        row.cause_id,
                        await self._secret_of(uow, row),
                    )
                )
            await uow.commit()
        return jobs

    @staticmethod
    async def _secret_of(uow: NotificationUnitOfWork, row: Delivery) -> str | None:
        if row.subscription_id is None:
            return None
        subscription = await uow.session.get(Subscription, row.subscription_id)
        return subscription.secret if subscription else None

    async def _attempt(self, job: DeliveryJob) -> None:
        started = time.monotonic()
        try:
            result: SendResult | DeliveryError = await self._channels[job.channel].send(job)
        except DeliveryError as exc:
            result = exc
        except Exception as exc:  # a channel bug must not stop the worker; it counts as a failed attempt
            result = DeliveryError(f"{type(exc).__name__}: {exc}"[:500])
        await self._record(job, result, duration_ms=int((time.monotonic() - started) * 1000))

    async def _record(
        self, job: DeliveryJob, result: SendResult | DeliveryError, *, duration_ms: int
    ) -> None:
        async with self._uow_factory() as uow:
            row = await uow.session.get(Delivery, job.id)
            if row is None or row.status != DeliveryStatus.pending:
                return
            now = utcnow()
            row.attempts += 1
            row.first_attempt_at = row.first_attempt_at or now
            failed = isinstance(result, DeliveryError)
            uow.session.add(
                DeliveryAttempt(
                    delivery_id=row.id,
                    number=row.attempts,
                    attempted_at=now,
                    ok=not failed,
                    status_code=result.status_code,
                    error=str(result) if failed else None,
                    duration_ms=duration_ms,
                )
            )
            if isinstance(result, SendResult):
                row.status, row.finished_at, row.last_error = result.status, now, None
                await self._finish(uow, row, outcome=ev.NOTIFICATION_DELIVERED)
            else:
                row.last_error = str(result)
                retry_at = self._policy.next_attempt(
                    attempts=row.attempts, first_attempt_at=row.first_attempt_at, now=now
                )
                if retry_at is not None:
                    row.next_attempt_at = retry_at
                else:
                    row.status, row.finished_at = DeliveryStatus.failed, now
                    await self._finish(uow, row, outcome=ev.NOTIFICATION_FAILED)
            await uow.commit()

    async def _finish(self, uow: NotificationUnitOfWork, row: Delivery, *, outcome: str) -> None:
        subscription = (
            await uow.session.get(Subscription, row.subscription_id) if row.subscription_id else None
        )
        recipient = row.target_key
        if subscription is not None:
            recipient = (
                department_inbox(subscription.department)
                if subscription.department
                else f"subscription:{subscription.id}"
            )
        uow.emit(
            new_event(
                outcome,
                ev.NotificationOutcome(
                    notification_id=row.message_id or row.id,
                    recipient=recipient,
                    channel=row.channel,  # type: ignore[arg-type]
                    cause_event_id=row.cause_id if row.channel == "webhook" else None,
                    attempts=row.attempts,
                    finished_at=row.finished_at or utcnow(),
                    error=row.last_error if outcome == ev.NOTIFICATION_FAILED else None,
                ),
            )
        )
        if outcome == ev.NOTIFICATION_FAILED and subscription is not None:
            await self._report_failure(uow, row, subscription)

    @staticmethod
    async def _report_failure(uow: NotificationUnitOfWork, row: Delivery, subscription: Subscription) -> None:
        inbox = (
            department_inbox(subscription.department) if subscription.department else role_inbox(Role.admin)
        )
        params = {
            "subscription_id": subscription.id,
            "callback_url": subscription.callback_url,
            "event_type": row.event_type,
            "event_id": row.cause_id,
            "attempts": row.attempts,
            "error": row.last_error,
        }
        await store_drafts(uow, [Draft(inbox, "webhook.failed", params)], cause_id=row.id, channels=())
