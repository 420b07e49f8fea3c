"""Digests: several approvals of one application become one message for the applicant.

* An approval joins the application's open digest (or opens one). The digest is due ``window`` after the
  latest approval (a debounce), but never later than ``MAX_WINDOWS × window`` after the first, so a steady
  trickle of approvals cannot postpone it for ever.
* Once due, the digest becomes one ``approvals.digest`` message listing every approved item.
* ``application.completed`` closes the application: its open digest goes out at once (just before the
  completion message) and approvals arriving later — they travel on the department task topics, so they
  may trail the completion — are absorbed by the completion message instead of making a second digest.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from onematter_notification.domain.planner import Draft, digest_items
from onematter_notification.domain.recipients import user_inbox

__all__ = [
    "MAX_WINDOWS",
    "DigestFacts",
    "digest_due",
    "digest_message",
    "is_closed",
    "open_digest",
    "with_entry",
]

#: A digest waits at most this many windows after its first approval.
MAX_WINDOWS = 4


class DigestFacts(Protocol):
    """What the rules need to know of a stored digest."""

    @property
    def entries(self) -> list[dict[str, Any]]: ...
    @property
    def flushed_at(self) -> datetime | None: ...
    @property
    def closed(self) -> bool: ...


def is_closed(digests: Sequence[DigestFacts]) -> bool:
    """The application completed: the completion message already told the applicant everything."""
    return any(d.closed for d in digests)


D = TypeVar("D", bound=DigestFacts)


def open_digest(digests: Sequence[D]) -> D | None:
    """The digest still collecting approvals, if any."""
    return next((d for d in digests if d.flushed_at is None), None)


def with_entry(entries: list[dict[str, Any]], entry: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The entries with ``entry`` added (a new list), or ``None`` when its task is already listed."""
    if any(e["task_id"] == entry["task_id"] for e in entries):
        return None
    return [*entries, entry]


def digest_due(*, created_at: datetime, now: datetime, window: timedelta) -> datetime:
    """When a digest that got an approval ``now`` goes out: a window later, capped after its first."""
    return min(now + window, created_at + window * MAX_WINDOWS)


def digest_message(
    *, applicant_id: str, acceptance_number: str, application_id: str, entries: list[dict[str, Any]]
) -> Draft | None:
    """The one message a digest becomes (``None`` for a digest without approvals: a closing marker)."""
    if not entries:
        return None
    params = {"acceptance_number": acceptance_number, "count": len(entries), "items": digest_items(entries)}
    return Draft(user_inbox(applicant_id), "approvals.digest", params, application_id)
