from __future__ import annotations

import pytest
from onematter_gateway.domain.edge import BodyVerdict, EdgeLimits, HeadVerdict, body_verdict, head_verdict

LIMITS = EdgeLimits(body_deadline=300, min_body_rate=1024, body_rate_grace=10)


@pytest.mark.parametrize(
    ("version", "hosts", "verdict"),
    [
        ("1.1", 1, None),
        ("1.0", 0, None),  # Host is optional in HTTP/1.0 (RFC 9112 §3.2 speaks of HTTP/1.1)
        ("1.0", 1, None),
        ("1.1", 0, HeadVerdict.bad_host),
        ("1.1", 2, HeadVerdict.bad_host),
        ("1.0", 2, HeadVerdict.bad_host),
        ("2.0", 1, HeadVerdict.version_not_supported),
        ("0.9", 0, HeadVerdict.simple_request),
    ],
)
def test_only_http_1_0_and_1_1_with_at_most_one_host_and_exactly_one_in_1_1_pass(
    version, hosts, verdict
) -> None:
    assert head_verdict(version=version, host_lines=hosts) is verdict


def test_the_answers_statuses_are_those_of_rfc_9110() -> None:
    assert HeadVerdict.url_too_long.value == 414
    assert HeadVerdict.too_many_headers.value == HeadVerdict.head_too_large.value == 431
    assert HeadVerdict.version_not_supported.value == 505


def test_a_body_is_not_judged_for_its_rate_during_the_grace_period() -> None:
    assert body_verdict(LIMITS, received=0, elapsed=9.9, reading_paused=False) is None


def test_a_body_slower_than_the_minimum_average_rate_after_the_grace_period_is_cut_off() -> None:
    # 10 KiB in 11 s is 931 B/s, under 1024 B/s; 12 KiB in 11 s is 1117 B/s.
    assert body_verdict(LIMITS, received=10 * 1024, elapsed=11, reading_paused=False) is BodyVerdict.too_slow
    assert body_verdict(LIMITS, received=12 * 1024, elapsed=11, reading_paused=False) is None


def test_while_the_gateway_itself_stopped_reading_the_rate_is_not_the_clients_fault() -> None:
    assert body_verdict(LIMITS, received=0, elapsed=60, reading_paused=True) is None


def test_the_body_deadline_holds_whatever_the_rate() -> None:
    fast = 100 * 1024 * 1024
    assert body_verdict(LIMITS, received=fast, elapsed=300.5, reading_paused=False) is BodyVerdict.deadline
    assert body_verdict(LIMITS, received=0, elapsed=300.5, reading_paused=True) is BodyVerdict.deadline
