"""Refusing callback URLs that point into our own network (SSRF), at creation and again at delivery.

The host is resolved with ``getaddrinfo`` and every address it resolves to must be public; checking again
right before each delivery defeats DNS rebinding (a name that resolved to a public address at creation
and to 169.254.169.254 later). Redirects are never followed by the webhook client.
"""

from __future__ import annotations

import asyncio
import socket
from urllib.parse import urlsplit

from onematter_notification.domain.delivery import is_forbidden_address

__all__ = ["UnsafeCallbackUrl", "check_callback_url"]


class UnsafeCallbackUrl(ValueError):
    """A callback URL that must not be called; the message says why."""


async def check_callback_url(url: str, *, allow_private: bool) -> None:
    """Raise :class:`UnsafeCallbackUrl` unless ``url`` is http(s) to a host that resolves only to public
    addresses (or the operator allows private networks)."""
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
    for info in infos:
        address = str(info[4][0])
        if is_forbidden_address(address):
            raise UnsafeCallbackUrl(
                f"the callback host resolves to {address}, "
                "a loopback, link-local, private or reserved address"
            )
