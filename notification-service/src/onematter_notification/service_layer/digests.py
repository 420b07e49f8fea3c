"""Digest handlers (rules in :mod:`onematter_notification.domain.digests`): approvals join a digest, the
completion closes the application, and the flush worker sends due digests."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from onematter_notification.adapters.tables import Digest
from onematter_notification.domain.digests import (
    digest_due,
    digest_message,
    is_closed,
    open_digest,
    with_entry,
)
from onematter_notification.service_layer.messages import store_drafts
from onematter_notification.service_layer.unit_of_work import NotificationUnitOfWork

__all__ = ["add_approval", "close_application", "flush_due"]


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


async def add_approval(
    uow: NotificationUnitOfWork, data: dict[str, Any], entry: dict[str, Any], *, window: timedelta
) -> None:
    """The approval in ``data`` joins its application's open digest (or opens one), unless the
    application already completed. Runs inside the consumer's unit of work."""
    now = uow.clock.now()
    digests = await uow.digests.of_application(data["application_id"])
    if is_closed(digests):
        return
    digest = open_digest(digests)
    if digest is None:
        digest = _new_digest(data, now=now)
        uow.digests.add(digest)
    entries = with_entry(digest.entries, entry)
    if entries is not None:
        digest.entries = entries  # a new list, so the JSON column is seen as changed
        digest.due_at = digest_due(created_at=digest.created_at, now=now, window=window)


async def close_application(
    uow: NotificationUnitOfWork, data: dict[str, Any], *, channels: Collection[str]
) -> None:
    """Send the open digest now and mark the application closed for later approvals."""
    now = uow.clock.now()
    digests = await uow.digests.of_application(data["application_id"])
    for digest in digests:
        if digest.flushed_at is None:
            await _flush(uow, digest, channels=channels, now=now)
    marker = digests[0] if digests else _new_digest(data, now=now, flushed_at=now)
    marker.closed = True
    uow.digests.add(marker)


async def flush_due(uow: NotificationUnitOfWork, *, channels: Collection[str], limit: int = 100) -> int:
    """Turn every digest due by now into its message, in one transaction; returns how many were sent."""
    async with uow:
        now = uow.clock.now()
        due = await uow.digests.due(now=now, limit=limit)
        for digest in due:
            await _flush(uow, digest, channels=channels, now=now)
        await uow.commit()
    return len(due)


async def _flush(
    uow: NotificationUnitOfWork, digest: Digest, *, channels: Collection[str], now: datetime
) -> None:
    digest.flushed_at = now
    draft = digest_message(
        applicant_id=digest.applicant_id,
        acceptance_number=digest.acceptance_number,
        application_id=digest.application_id,
        entries=digest.entries,
    )
    if draft is not None:
        await store_drafts(uow, [draft], cause_id=digest.id, channels=channels)
