"""The answers the HTTP server gives by itself, before any application code runs: problem+json bytes
with ``connection: close``, built once (they are sent to clients the server is about to drop)."""

from __future__ import annotations

import json

from onematter_kit.errors import PROBLEM_BASE
from uvicorn.protocols.http.httptools_impl import STATUS_LINE

from onematter_gateway.domain.connections import Refusal
from onematter_gateway.domain.edge import BodyVerdict, HeadVerdict

__all__ = ["BAD_REQUEST", "BODY_ANSWERS", "HEAD_ANSWERS", "HEAD_TIMED_OUT", "REFUSAL_ANSWERS", "answer"]


def answer(status: int, slug: str, title: str, detail: str, *, retry_after: int | None = None) -> bytes:
    """A whole HTTP/1.1 response: status line, headers (``connection: close``), problem+json body."""
    body = json.dumps({"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail})
    head = [
        STATUS_LINE[status],
        b"content-type: application/problem+json\r\n",
        b"x-content-type-options: nosniff\r\n",
        b"cache-control: no-store\r\n",
        b"connection: close\r\n",
        b"content-length: %d\r\n" % len(body),
    ]
    if retry_after is not None:
        head.append(b"retry-after: %d\r\n" % retry_after)
    return b"".join(head) + b"\r\n" + body.encode()


HEAD_ANSWERS = {
    HeadVerdict.url_too_long: answer(
        414, "uri-too-long", "URI too long", "The request target is longer than the gateway accepts."
    ),
    HeadVerdict.header_line_too_long: answer(
        431,
        "request-header-fields-too-large",
        "Request header fields too large",
        "A header line is longer than the gateway accepts.",
    ),
    HeadVerdict.head_too_large: answer(
        431,
        "request-header-fields-too-large",
        "Request header fields too large",
        "The request's headers are larger than the gateway accepts.",
    ),
    HeadVerdict.too_many_headers: answer(
        431,
        "request-header-fields-too-large",
        "Request header fields too large",
        "The request has more header lines than the gateway accepts.",
    ),
    HeadVerdict.version_not_supported: answer(
        505, "http-version-not-supported", "HTTP version not supported", "Use HTTP/1.1 (or HTTP/1.0)."
    ),
    HeadVerdict.bad_host: answer(
        400, "bad-request", "Bad request", "An HTTP/1.1 request needs exactly one Host header."
    ),
    HeadVerdict.simple_request: answer(
        400, "bad-request", "Bad request", "HTTP/0.9 is not supported; use HTTP/1.1."
    ),
}
HEAD_TIMED_OUT = answer(
    408, "request-timeout", "Request header timeout", "The request head was not sent in time."
)
BODY_ANSWERS = {
    BodyVerdict.deadline: answer(
        408, "request-timeout", "Request body too slow", "The request body did not arrive in time."
    ),
    BodyVerdict.too_slow: answer(
        408, "request-timeout", "Request body too slow", "The request body arrives slower than accepted."
    ),
}
REFUSAL_ANSWERS = {
    Refusal.address_full: answer(
        429,
        "too-many-connections",
        "Too many connections",
        "Your address has as many connections open as the gateway allows; reuse one of them.",
        retry_after=1,
    ),
    Refusal.gateway_full: answer(
        503,
        "service-unavailable",
        "Service unavailable",
        "The gateway holds as many connections as it can; retry later.",
        retry_after=1,
    ),
}
BAD_REQUEST = answer(400, "bad-request", "Bad request", "The request is not valid HTTP/1.1.")
