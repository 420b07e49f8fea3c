"""WEBHOOK_ALLOW_LOOPBACK: named loopback receivers only, parsed strictly."""

from __future__ import annotations

import re

import pytest
from onematter_notification.domain.loopback import is_named_loopback, parse_loopback_receivers


def test_receivers_are_host_and_port_pairs_separated_by_commas() -> None:
    parsed = parse_loopback_receivers(" 127.0.0.1:9000,[::1]:9001 , LOCALHOST:9002,")

    assert parsed == {("127.0.0.1", 9000), ("::1", 9001), ("localhost", 9002)}
    assert parse_loopback_receivers("") == frozenset()


@pytest.mark.parametrize(
    "text", ["127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "10.0.0.5:9000", "example.org:80", ":9000"]
)
def test_anything_but_a_loopback_host_with_a_port_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_loopback_receivers(text)


def test_only_the_named_port_passes_and_only_while_the_name_resolves_to_loopback() -> None:
    named = parse_loopback_receivers("127.0.0.1:9000,localhost:9002")

    assert is_named_loopback("127.0.0.1", 9000, ["127.0.0.1"], receivers=named)
    assert not is_named_loopback("127.0.0.1", 9001, ["127.0.0.1"], receivers=named)
    assert is_named_loopback("localhost", 9002, ["127.0.0.1", "::1"], receivers=named)
    # a rebound name: localhost pointed at the metadata service is not a loopback receiver
    assert not is_named_loopback("localhost", 9002, ["169.254.169.254"], receivers=named)
    assert not is_named_loopback("localhost", 9002, [], receivers=named)
