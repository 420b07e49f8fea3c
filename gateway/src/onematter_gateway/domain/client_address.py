"""The real client address behind trusted proxies (``X-Forwarded-For`` or ``Forwarded``, RFC 7239).

A request's client is its TCP peer unless that peer is one of the operator's trusted proxies (the TLS
proxy the operations guide requires). Then the forwarding header the proxies write is read from the
right — each proxy appends the address it received the request from — skipping trusted addresses; the
first one not trusted is the client. Anything to the left of it was written by the client itself and
proves nothing. A request from any other peer has its forwarding headers ignored, so no one can pick the
address their rate limits are counted under.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Literal

__all__ = ["ForwardedHeader", "TrustedProxies"]

ForwardedHeader = Literal["x-forwarded-for", "forwarded"]
_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedProxies:
    """``networks``: addresses or CIDR ranges (``10.0.0.5``, ``10.0.0.0/24``, ``::1``); ValueError if not."""

    def __init__(self, networks: Iterable[str], *, header: ForwardedHeader = "x-forwarded-for") -> None:
        self.networks: tuple[_Network, ...] = tuple(ipaddress.ip_network(n, strict=False) for n in networks)
        self.header = header
        self._known: dict[str, bool] = {}

    def __bool__(self) -> bool:
        return bool(self.networks)

    def trusts(self, address: str) -> bool:
        known = self._known.get(address)
        if known is None:
            known = self._trusts(address)
            if len(self._known) < 10_000:  # peers repeat; the bound keeps a scan from growing it
                self._known[address] = known
        return known

    def _trusts(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def client(self, peer: str, forwarded: str | None) -> str:
        """The client address: ``peer``, or from ``forwarded`` (the header's value, several lines joined
        with ``,``) when ``peer`` is trusted. A trusted chain with no untrusted hop gives its leftmost."""
        if not forwarded or not self.networks or not self.trusts(peer):
            return peer
        hops = _hops(forwarded, self.header)
        for hop in reversed(hops):
            if not self.trusts(hop):
                return hop
        return hops[0] if hops else peer


def _hops(value: str, header: ForwardedHeader) -> list[str]:
    """The addresses of a forwarding header, left to right; malformed entries become ``unknown``."""
    if header == "x-forwarded-for":
        return [_clean(part) for part in value.split(",") if part.strip()]
    hops = []
    for element in value.split(","):
        pairs = (pair.partition("=") for pair in element.split(";"))
        found = next((v for k, _, v in pairs if k.strip().lower() == "for"), None)
        if found is not None:
            hops.append(_clean(found))
    return hops


def _clean(text: str) -> str:
    """``"[2001:db8::1]:4711"`` → ``2001:db8::1``, ``192.0.2.1:80`` → ``192.0.2.1``; else ``unknown``."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return "unknown"  # an obfuscated identifier (RFC 7239 §6.3) or garbage
