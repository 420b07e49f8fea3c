from __future__ import annotations

import pytest
from onematter_gateway.domain.client_address import TrustedProxies

PROXIES = TrustedProxies(["10.0.0.5", "10.1.0.0/24", "2001:db8:1::/48"])


def test_without_a_trusted_peer_the_forwarding_header_is_ignored() -> None:
    assert PROXIES.client("203.0.113.9", "198.51.100.1") == "203.0.113.9"
    assert TrustedProxies([]).client("10.0.0.5", "198.51.100.1") == "10.0.0.5"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_address_is_the_client() -> None:
    # The client wrote "1.2.3.4"; the proxy appended the address it really came from.
    assert PROXIES.client("10.0.0.5", "1.2.3.4, 198.51.100.7") == "198.51.100.7"
    # Two proxies of ours in a row are skipped.
    assert PROXIES.client("10.0.0.5", "1.2.3.4, 198.51.100.7, 10.1.0.20") == "198.51.100.7"


def test_a_chain_of_trusted_proxies_only_gives_its_leftmost_address() -> None:
    assert PROXIES.client("10.0.0.5", "10.1.0.3, 10.1.0.4") == "10.1.0.3"


def test_no_header_from_a_trusted_proxy_leaves_the_peer() -> None:
    assert PROXIES.client("10.0.0.5", None) == "10.0.0.5"


@pytest.mark.parametrize(
    ("value", "client"),
    [
        ("for=192.0.2.60;proto=https;by=10.0.0.5", "192.0.2.60"),
        ('for="[2001:db8:cafe::17]:4711"', "2001:db8:cafe::17"),
        ("for=192.0.2.43, for=198.51.100.17", "198.51.100.17"),
        ("For=198.51.100.17:8080", "198.51.100.17"),
        ("for=_hidden", "unknown"),  # an obfuscated identifier (RFC 7239 §6.3) is not an address
    ],
)
def test_the_forwarded_header_of_rfc_7239_is_read_when_the_proxies_write_it(value: str, client: str) -> None:
    proxies = TrustedProxies(["10.0.0.5"], header="forwarded")
    assert proxies.client("10.0.0.5", value) == client


def test_garbage_in_the_header_never_becomes_an_address() -> None:
    assert PROXIES.client("10.0.0.5", "not-an-ip") == "unknown"


def test_a_peer_inside_a_trusted_range_or_ipv6_prefix_is_trusted() -> None:
    assert PROXIES.trusts("10.1.0.200") and PROXIES.trusts("2001:db8:1:2::1")
    assert not PROXIES.trusts("10.1.1.1") and not PROXIES.trusts("garbage")


def test_a_setting_that_is_not_an_address_is_refused() -> None:
    with pytest.raises(ValueError, match="does not appear"):
        TrustedProxies(["proxy.example"])
