"""Digests: several approvals of one application become one message for the applicant.

* An approval joins the application's open digest (or opens one); the digest is due ``window`` seconds
  after the latest approval (a debounce), but never later than ``4 × window`` after the first, so a steady
  trickle of approvals cannot postpone it for ever.
* The flush worker turns due digests into one ``approvals.digest`` message each.
* ``application.completed`` closes the application's digests: an open digest is flushed at once (so the
  digest comes just before the completion message), and approvals that arrive later — they travel on the
  department task topics, so they may overtake or trail the completion — are absorbed by the completion
  message rather than making a second digest.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from onematter_kit.database import is_postgres
from onematter_kit.tables import utcnow
from sqlalchemy import select

from onematter_notification.adapters.tables import Digest
from onematter_notification.domain.planner import Draft, digest_items
from onematter_notification.domain.recipients import user_inbox
from onematter_notification.service_layer.messages import store_drafts
from onematter_notification.service_layer.signals import NotificationUnitOfWork

__all__ = ["add_approval", "close_application", "flush_due"]

_MAX_WINDOWS = 4


async def add_approval(
    uow: NotificationUnitOfWork,
    data: dict[str, Any],
    entry: dict[str, Any],
    *,
    window: float,
    now: datetime | None = None,
) -> None:
    now = now or utcnow()
    digests = await _digests_of(uow, data["application_id"])
    if any(d.closed for d in digests):
        return  # the completion message already told the applicant
    digest = next((d for d in digests if d.flushed_at is None), None)
    if digest is None:
        digest = _new_digest(data, now=now)
        uow.session.add(digest)
    if any(e["task_id"] == entry["task_id"] for e in digest.entries):
        return
    digest.entries = [*digest.entries, entry]  # a new list, so the JSON column is seen as changed
    digest.due_at = min(
        now + timedelta(seconds=window), digest.created_at + timedelta(seconds=window * _MAX_WINDOWS)
    )


def _new_digest(data: dict[str, Any], *, now: datetime, flushed_at: datetime | None = None) -> Digest:
    """An empty digest for the application an event names (``flushed_at``: born closed, a marker)."""
    return Digest(
        application_id=data["application_id"],
        acceptance_number=data["acceptance_number"],
        applicant_id=data["applicant_id"],
        entries=[],
        due_at=now,
        created_at=now,
        flushed_at=flushed_at,
    )


async def close_application(
    uow: NotificationUnitOfWork,
    data: dict[str, Any],
    *,
    channels: Collection[str],
    now: datetime | None = None,
) -> None:
    """Flush the open digest now and mark the application closed for later approvals."""
    now = now or utcnow()
    digests = await _digests_of(uow, data["application_id"])
    for digest in digests:
        if digest.flushed_at is None:
            await _flush(uow, digest, channels=channels, now=now)
    marker = digests[0] if digests else _new_digest(data, now=now, flushed_at=now)
    marker.closed = True
    uow.session.add(marker)


async def flush_due(uow: NotificationUnitOfWork, *, channels: Collection[str], limit: int = 100) -> int:
    """Turn every due digest into its message; the caller commits. Replicas skip each other's rows."""
    now = utcnow()
    query = (
        select(Digest)
        .where(Digest.flushed_at.is_(None), Digest.due_at <= now)  # type: ignore[union-attr]
        .order_by(Digest.due_at)
        .limit(limit)
    )
    if is_postgres(uow.session.bind):  # type: ignore[arg-type]
        query = query.with_for_update(skip_locked=True)
    due = list((await uow.session.execute(query)).scalars())
    for digest in due:
        await _flush(uow, digest, channels=channels, now=now)
    return len(due)


async def _flush(
    uow: NotificationUnitOfWork, digest: Digest, *, channels: Collection[str], now: datetime
) -> None:
    digest.flushed_at = now
    if not digest.entries:
        return
    items = digest_items(digest.entries)
    draft = Draft(
        user_inbox(digest.applicant_id),
        "approvals.digest",
        {"acceptance_number": digest.acceptance_number, "count": len(digest.entries), "items": items},
        digest.application_id,
    )
    await store_drafts(uow, [draft], cause_id=digest.id, channels=channels)


async def _digests_of(uow: NotificationUnitOfWork, application_id: str) -> list[Digest]:
    query = select(Digest).where(Digest.application_id == application_id).order_by(Digest.created_at)
    if is_postgres(uow.session.bind):  # type: ignore[arg-type]
        query = query.with_for_update()  # the flush worker must not flush a digest while it grows
    return list((await uow.session.execute(query)).scalars())
