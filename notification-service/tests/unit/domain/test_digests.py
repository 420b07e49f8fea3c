"""Digest rules: the debounced window with its cap, one entry per task, the digest's message."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from onematter_notification.domain.digests import (
    MAX_WINDOWS,
    digest_due,
    digest_message,
    is_closed,
    open_digest,
    with_entry,
)

T0 = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
WINDOW = timedelta(seconds=10)


@dataclass
class _Digest:
    entries: list[dict[str, Any]] = field(default_factory=list)
    flushed_at: datetime | None = None
    closed: bool = False


def test_a_digest_is_due_a_window_after_its_latest_approval() -> None:
    assert digest_due(created_at=T0, now=T0, window=WINDOW) == T0 + WINDOW
    assert digest_due(created_at=T0, now=T0 + timedelta(seconds=7), window=WINDOW) == T0 + timedelta(
        seconds=17
    )


def test_a_trickle_of_approvals_cannot_postpone_a_digest_beyond_four_windows() -> None:
    assert MAX_WINDOWS == 4
    late = T0 + timedelta(seconds=39)
    assert digest_due(created_at=T0, now=late, window=WINDOW) == T0 + 4 * WINDOW


def test_an_approval_joins_once_per_task_as_a_new_list() -> None:
    entries = [{"task_id": "t1"}]
    added = with_entry(entries, {"task_id": "t2"})
    assert added == [{"task_id": "t1"}, {"task_id": "t2"}] and added is not entries
    assert with_entry(entries, {"task_id": "t1"}) is None


def test_the_open_digest_collects_and_a_closed_application_takes_no_more() -> None:
    sent, collecting = _Digest(flushed_at=T0), _Digest()
    assert open_digest([sent, collecting]) is collecting and open_digest([sent]) is None
    assert not is_closed([sent, collecting]) and is_closed([_Digest(flushed_at=T0, closed=True)])


def test_a_digest_becomes_one_message_for_the_applicant_listing_every_approved_item() -> None:
    entries = [
        {"task_id": "t1", "item_code": "birth-cert", "department": "nhc"},
        {"task_id": "t2", "item_code": "hukou", "department": "mps"},
    ]
    draft = digest_message(applicant_id="u1", acceptance_number="YJS-1", application_id="a1", entries=entries)
    assert draft is not None
    assert (draft.recipient, draft.kind, draft.application_id) == ("user:u1", "approvals.digest", "a1")
    assert draft.params["count"] == 2 and draft.params["acceptance_number"] == "YJS-1"


def test_a_digest_without_approvals_makes_no_message() -> None:
    assert (
        digest_message(applicant_id="u1", acceptance_number="YJS-1", application_id="a1", entries=[]) is None
    )
