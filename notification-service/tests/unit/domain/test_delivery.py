"""Delivery discipline: jittered backoff with a horizon, attempts, webhook signatures, SSRF addresses."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from onematter_notification.domain.delivery import (
    DeliveryStatus,
    RetryPolicy,
    after_attempt,
    is_forbidden_address,
    sign,
    verify_signature,
)


def test_backoff_is_jittered_under_an_exponential_ceiling_and_gives_up_after_the_horizon() -> None:
    policy = RetryPolicy(base_seconds=2, cap_seconds=3600, horizon_seconds=24 * 3600)
    start = datetime(2030, 1, 1, tzinfo=UTC)
    rng = random.Random(1)
    for attempts in range(1, 20):
        delay = policy.next_attempt(attempts=attempts, first_attempt_at=start, now=start, rng=rng) - start
        assert timedelta(0) <= delay <= timedelta(seconds=min(3600, 2 * 2**attempts))
    late = start + timedelta(hours=24)
    assert policy.next_attempt(attempts=30, first_attempt_at=start, now=late) is None


def test_a_signature_verifies_with_the_secret_only_and_not_when_stale() -> None:
    header = sign("s3cret", timestamp=1_900_000_000, body=b'{"a":1}')
    assert header.startswith("t=1900000000,v1=")
    assert verify_signature("s3cret", header=header, body=b'{"a":1}', now=1_900_000_010)
    assert not verify_signature("other", header=header, body=b'{"a":1}', now=1_900_000_010)
    assert not verify_signature("s3cret", header=header, body=b'{"a":2}', now=1_900_000_010)
    assert not verify_signature("s3cret", header=header, body=b'{"a":1}', now=1_900_009_999)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.8",
        "172.16.3.4",
        "192.168.1.1",
        "169.254.169.254",
        "224.0.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "100.64.0.1",
    ],
)
def test_internal_addresses_are_forbidden(address: str) -> None:
    assert is_forbidden_address(address)


def test_a_public_address_is_allowed() -> None:
    assert not is_forbidden_address("93.184.216.34")


NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
POLICY = RetryPolicy(base_seconds=2, cap_seconds=3600, horizon_seconds=24 * 3600)


def test_a_successful_first_attempt_finishes_the_delivery_with_the_channels_status() -> None:
    state = after_attempt(
        attempts=0, first_attempt_at=None, succeeded=DeliveryStatus.delivered, now=NOW, policy=POLICY
    )
    assert (state.attempts, state.first_attempt_at, state.status) == (1, NOW, DeliveryStatus.delivered)
    assert state.finished and state.finished_at == NOW and state.next_attempt_at is None


def test_a_failed_attempt_within_the_horizon_is_retried_later() -> None:
    first = NOW - timedelta(hours=1)
    state = after_attempt(
        attempts=3, first_attempt_at=first, succeeded=None, now=NOW, policy=POLICY, rng=random.Random(7)
    )
    assert (state.attempts, state.first_attempt_at, state.status) == (4, first, DeliveryStatus.pending)
    assert not state.finished and state.finished_at is None
    assert state.next_attempt_at is not None and NOW <= state.next_attempt_at <= NOW + timedelta(seconds=32)


def test_a_failed_attempt_after_the_horizon_fails_the_delivery_for_good() -> None:
    state = after_attempt(
        attempts=40, first_attempt_at=NOW - timedelta(hours=24), succeeded=None, now=NOW, policy=POLICY
    )
    assert state.status is DeliveryStatus.failed and state.finished and state.finished_at == NOW
