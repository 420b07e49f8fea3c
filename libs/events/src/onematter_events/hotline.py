"""Events of the 12345 hotline (hotline-service) on the ``onematter.hotline`` stream. Key: the request id.

Why one hotline stream keyed by request rather than the departments' task topics: a topic has exactly one
owner in :mod:`onematter_events.ownership` (the broker's write ACL and every consumer's ``source`` check
rely on it), and ``onematter.tasks.<code>`` is acceptance's. A request's events stay in order under its key;
an office filters on ``office``. The payloads carry no personal data (no caller name or phone), only the
text the caller agreed to have forwarded, so an office reading another's dispatch learns nothing personal.
A per-office hotline topic family (``onematter.hotline.<office>``) would add read isolation; it needs a
second per-department family in the ownership table and is left for later.
"""

from __future__ import annotations

from datetime import date

from onematter_events.envelope import EventPayload

__all__ = [
    "CATALOGUED",
    "REQUEST_ANSWERED",
    "REQUEST_DISPATCHED",
    "REQUEST_ESCALATED",
    "SOURCE",
    "RequestAnswered",
    "RequestDispatched",
    "RequestEscalated",
]

SOURCE = "/onematter/hotline"
REQUEST_DISPATCHED = "gov.onematter.hotline.request-dispatched"
REQUEST_ANSWERED = "gov.onematter.hotline.request-answered"
REQUEST_ESCALATED = "gov.onematter.hotline.request-escalated"


class RequestDispatched(EventPayload):
    """派单 — a request sent to the implementing office that must answer it by ``due_on`` (China date)."""

    request_id: str
    office: str
    request_type: str
    category: str
    region: str
    text: str
    due_on: date
    #: 1 for the first dispatch; grows with each re-dispatch after an objection (退单) or a reopening.
    round: int = 1


class RequestAnswered(EventPayload):
    """答复 — the answer of a request, for every caller merged into it (并单): their subjects (user ids).

    ``recipients`` holds the callers who have an account (portal users, verified callers); callers known
    only by phone are called back by an operator instead.
    """

    request_id: str
    request_type: str
    answer: str
    recipients: list[str]
    office: str | None = None


class RequestEscalated(EventPayload):
    """督办 — the office did not answer by ``due_on``; the supervisor follows it up (once per round)."""

    request_id: str
    office: str
    due_on: date
    round: int = 1


#: (type, payload model, summary) of each hotline event, for the one event catalogue.
CATALOGUED: tuple[tuple[str, type[EventPayload], str], ...] = (
    (
        REQUEST_DISPATCHED,
        RequestDispatched,
        "A 12345 request was dispatched (派单) to an implementing office, with its due date.",
    ),
    (
        REQUEST_ANSWERED,
        RequestAnswered,
        "A 12345 request was answered (答复); every merged caller (并单) gets the answer.",
    ),
    (
        REQUEST_ESCALATED,
        RequestEscalated,
        "An office missed a 12345 request's due date; the supervisor follows it up (督办).",
    ),
)
