"""Refusing callback URLs that point into our own network (SSRF), at creation and again at delivery.

The host is resolved with ``getaddrinfo`` and every address it resolves to must be public; checking again
right before each delivery defeats DNS rebinding (a name that resolved to a public address at creation
and to 169.254.169.254 later). Redirects are never followed by the webhook client. In development the
operator may name loopback receivers (``WEBHOOK_ALLOW_LOOPBACK``, :mod:`..domain.loopback`); only those
host-and-port pairs pass, and only while they resolve to loopback addresses.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Collection
from urllib.parse import urlsplit

from onematter_notification.domain.delivery import is_forbidden_address
from onematter_notification.domain.loopback import LoopbackReceiver, is_named_loopback

__all__ = ["UnsafeCallbackUrl", "check_callback_url"]


class UnsafeCallbackUrl(ValueError):
    """A callback URL that must not be called; the message says why."""


async def check_callback_url(
    url: str, *, allow_private: bool, loopback: Collection[LoopbackReceiver] = frozenset()
) -> None:
    """Raise :class:`UnsafeCallbackUrl` unless ``url`` is http(s) to a host that resolves only to public
    addresses, is one of the ``loopback`` receivers named for development, or the operator allows private
    networks."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeCallbackUrl("the callback URL must be an absolute http or https URL")
    if parts.username or parts.password:
        raise UnsafeCallbackUrl("the callback URL must not carry credentials")
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = await asyncio.get_running_loop().getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError) as exc:
        raise UnsafeCallbackUrl(f"the callback host cannot be resolved: {exc}") from None
    addresses = [str(info[4][0]) for info in infos]
    if is_named_loopback(parts.hostname, port, addresses, receivers=loopback):
        return
    for address in addresses:
        if is_forbidden_address(address):
            raise UnsafeCallbackUrl(
                f"the callback host resolves to {address}, "
                "a loopback, link-local, private or reserved address"
            )
