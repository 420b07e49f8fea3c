"""Delivery discipline, pure: backoff with full jitter, the retry horizon, webhook signatures, SSRF rules.

Modelled on GOV.UK Notify and Stripe webhooks: a delivery is retried with exponential backoff and full
jitter (``uniform(0, min(cap, base * 2**attempt))``) until it has been tried for at least the horizon
(24 hours by default), and only then marked failed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

__all__ = [
    "EVENT_ID_HEADER",
    "SIGNATURE_HEADER",
    "Attempted",
    "DeliveryStatus",
    "RetryPolicy",
    "after_attempt",
    "is_forbidden_address",
    "sign",
    "verify_signature",
]

SIGNATURE_HEADER = "X-OneMatter-Signature"
EVENT_ID_HEADER = "X-OneMatter-Event-Id"


class DeliveryStatus(StrEnum):
    pending = "pending"
    #: Handed to a channel that gives no receipt (SMTP accepted it).
    sent = "sent"
    #: The receiver acknowledged it (inbox written, webhook answered 2xx).
    delivered = "delivered"
    failed = "failed"


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float = 2.0
    cap_seconds: float = 3600.0
    horizon_seconds: float = 24 * 3600.0

    def next_attempt(
        self, *, attempts: int, first_attempt_at: datetime, now: datetime, rng: random.Random | None = None
    ) -> datetime | None:
        """When to try again after ``attempts`` failures, or None once the horizon has passed (give up)."""
        if now - first_attempt_at >= timedelta(seconds=self.horizon_seconds):
            return None
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** min(attempts, 62))
        delay = (rng or random).uniform(0, ceiling)
        return now + timedelta(seconds=delay)


@dataclass(frozen=True, kw_only=True)
class Attempted:
    """A delivery's state after one more attempt."""

    attempts: int
    first_attempt_at: datetime
    status: DeliveryStatus
    #: When to try again; ``None`` once finished.
    next_attempt_at: datetime | None
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status is not DeliveryStatus.pending


def after_attempt(
    *,
    attempts: int,
    first_attempt_at: datetime | None,
    succeeded: DeliveryStatus | None,
    now: datetime,
    policy: RetryPolicy,
    rng: random.Random | None = None,
) -> Attempted:
    """The state after an attempt at ``now``: ``succeeded`` (``sent``/``delivered``) finishes it; a failure
    schedules the next try per ``policy``, or fails it for good once the retry horizon has passed."""
    attempts, first = attempts + 1, first_attempt_at or now
    if succeeded is not None:
        return Attempted(
            attempts=attempts, first_attempt_at=first, status=succeeded, next_attempt_at=None, finished_at=now
        )
    retry_at = policy.next_attempt(attempts=attempts, first_attempt_at=first, now=now, rng=rng)
    if retry_at is None:
        status, finished_at = DeliveryStatus.failed, now
    else:
        status, finished_at = DeliveryStatus.pending, None
    return Attempted(
        attempts=attempts,
        first_attempt_at=first,
        status=status,
        next_attempt_at=retry_at,
        finished_at=finished_at,
    )


def sign(secret: str, *, timestamp: int, body: bytes) -> str:
    """``t=<unix>,v1=<hex hmac_sha256(secret, "<t>.<body>")>`` — the value of :data:`SIGNATURE_HEADER`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(secret: str, *, header: str, body: bytes, now: int, tolerance: int = 300) -> bool:
    """What a receiver does: recompute, compare in constant time, refuse stale timestamps (replays)."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    if not parts.get("t", "").isdigit() or "v1" not in parts:
        return False
    timestamp = int(parts["t"])
    expected = sign(secret, timestamp=timestamp, body=body).split("v1=", 1)[1]
    return abs(now - timestamp) <= tolerance and hmac.compare_digest(expected, parts["v1"])


def is_forbidden_address(address: str) -> bool:
    """Loopback, link-local (cloud metadata), private, multicast, reserved or unspecified addresses."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_link_local
        or ip.is_private
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )
