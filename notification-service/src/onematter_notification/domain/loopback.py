"""Named loopback webhook receivers: the development exception to the SSRF guard (``WEBHOOK_ALLOW_LOOPBACK``).

The guard refuses callbacks to loopback, private and reserved addresses. On a developer's machine a
department's receiver often listens on ``127.0.0.1``; the operator may name exactly those receivers, as
``host:port`` entries separated by commas (``127.0.0.1:9000,[::1]:9001,localhost:9002``). Only those
host-and-port pairs are let through, and only while every address the host resolves to is a loopback
address. Production refuses the setting (see ``NotificationSettings``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection, Iterable

__all__ = ["LoopbackReceiver", "is_named_loopback", "parse_loopback_receivers"]

#: (host as written, lower case and without brackets; TCP port)
LoopbackReceiver = tuple[str, int]

_LOOPBACK_NAMES = frozenset({"localhost"})


def parse_loopback_receivers(text: str) -> frozenset[LoopbackReceiver]:
    """``"127.0.0.1:9000, [::1]:9001"`` → ``{("127.0.0.1", 9000), ("::1", 9001)}``; empty text → empty set.

    Raises ``ValueError`` naming the first entry that is not ``<loopback host>:<port 1-65535>``.
    """
    receivers = set()
    for entry in (part.strip() for part in text.split(",")):
        if entry:
            receivers.add(_parse_entry(entry))
    return frozenset(receivers)


def _parse_entry(entry: str) -> LoopbackReceiver:
    host, _, port = entry.rpartition(":")
    host = host.removeprefix("[").removesuffix("]").lower()
    if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError(f"{entry!r} is not host:port (e.g. 127.0.0.1:9000)")
    if not _is_loopback_host(host):
        raise ValueError(f"{entry!r} is not a loopback receiver (127.0.0.0/8, ::1 or localhost)")
    return host, int(port)


def _is_loopback_host(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_named_loopback(
    host: str, port: int, addresses: Iterable[str], *, receivers: Collection[LoopbackReceiver]
) -> bool:
    """True if ``host:port`` is a named receiver and every address it resolved to is loopback."""
    if (host.lower(), port) not in receivers:
        return False
    resolved = [ipaddress.ip_address(a.split("%", 1)[0]) for a in addresses]
    return bool(resolved) and all(ip.is_loopback for ip in resolved)
