from __future__ import annotations

from onematter_gateway.domain.connections import ConnectionBudget, Refusal


def budget(*, total: int = 5, per_address: int = 2, proxy: str = "10.0.0.5") -> ConnectionBudget:
    return ConnectionBudget(total=total, per_address=per_address, exempt=lambda address: address == proxy)


def test_an_address_gets_its_share_and_the_next_connection_is_refused_with_429() -> None:
    connections = budget()
    assert [connections.admit("192.0.2.1") for _ in range(3)] == [None, None, Refusal.address_full]
    assert Refusal.address_full.value == 429
    assert connections.admit("192.0.2.2") is None  # another address is still admitted


def test_when_the_gateway_is_full_every_new_connection_is_refused_with_503() -> None:
    connections = budget(total=3, per_address=3)
    for _ in range(3):
        assert connections.admit("192.0.2.1") is None
    assert connections.admit("192.0.2.2") is Refusal.gateway_full
    assert Refusal.gateway_full.value == 503


def test_a_refused_connection_is_not_counted_and_a_released_one_frees_its_place() -> None:
    connections = budget()
    connections.admit("192.0.2.1")
    connections.admit("192.0.2.1")
    connections.admit("192.0.2.1")  # refused
    assert (connections.open, connections.held_by("192.0.2.1")) == (2, 2)
    connections.release("192.0.2.1")
    assert connections.admit("192.0.2.1") is None
    connections.release("192.0.2.1")
    connections.release("192.0.2.1")
    assert (connections.open, connections.held_by("192.0.2.1")) == (0, 0)


def test_a_trusted_proxy_is_exempt_from_the_per_address_limit_but_not_from_the_total() -> None:
    connections = budget(total=4, per_address=1)
    assert [connections.admit("10.0.0.5") for _ in range(5)] == [None, None, None, None, Refusal.gateway_full]
