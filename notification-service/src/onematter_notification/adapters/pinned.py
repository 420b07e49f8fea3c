"""Webhook connections that go to the address that passed the check (DNS rebinding, issue 19).

Checking a callback host and then letting the HTTP client resolve it again leaves a window: a name can
answer a public address to the check and 127.0.0.1 to the connection. Here the connection itself
resolves the host once, checks every address it got with ``permits(host, address)`` and opens the TCP
connection to a checked address (an IP literal), so nothing is resolved after the check.

TLS still verifies the URL's host name: httpcore passes the request's host as ``server_hostname`` to
``start_tls`` (SNI and certificate check), whatever address the socket was opened to. How httpcore lets a
client choose where a connection goes: its ``AsyncNetworkBackend`` (``network_backend=`` of the
connection pool). httpx 0.28 has no public argument for it, so :class:`PinnedTransport` rebuilds the
pool of its ``AsyncHTTPTransport`` with one; it never uses a proxy from the environment either.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Awaitable, Callable, Collection, Iterable

import httpcore
import httpx

from onematter_notification.domain.delivery import is_forbidden_address
from onematter_notification.domain.loopback import LoopbackReceiver, is_named_loopback

__all__ = ["AddressPermit", "PinnedBackend", "PinnedTransport", "Resolver", "public_addresses_only"]

#: ``permits(host, port, address)``: may a connection for ``host:port`` go to ``address`` (an IP literal)?
AddressPermit = Callable[[str, int, str], bool]
#: ``resolve(host, port)``: the IP addresses of ``host``, in the order to try them.
Resolver = Callable[[str, int], Awaitable[list[str]]]


def public_addresses_only(
    *, allow_private: bool, loopback: Collection[LoopbackReceiver] = frozenset()
) -> AddressPermit:
    """The connection-time rule: only public addresses, unless the operator allows private networks
    (``WEBHOOK_ALLOW_PRIVATE_NETWORKS``) or names a development receiver (``WEBHOOK_ALLOW_LOOPBACK``, a
    loopback address only) — the same rule :func:`check_callback_url` applies before the call."""

    def permits(host: str, port: int, address: str) -> bool:
        if is_named_loopback(host, port, [address], receivers=loopback):
            return True
        return allow_private or not is_forbidden_address(address)

    return permits


async def _getaddrinfo(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Resolves once, refuses the host if any of its addresses is not permitted, connects by address.

    Raises ``httpcore.ConnectError`` (``httpx.ConnectError`` to the client) when the host cannot be
    resolved or resolves to a refused address; the message names the address, never the payload.
    """

    def __init__(
        self,
        *,
        permits: AddressPermit,
        resolve: Resolver = _getaddrinfo,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._permits, self._resolve = permits, resolve
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._checked(host, port)
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:
                failure = exc
        assert failure is not None  # _checked never returns an empty list
        raise failure

    async def _checked(self, host: str, port: int) -> list[str]:
        try:
            addresses = await self._resolve(host, port)
        except (OSError, ValueError) as exc:
            raise httpcore.ConnectError(f"the callback host cannot be resolved: {exc}") from None
        if not addresses:
            raise httpcore.ConnectError("the callback host resolves to no address")
        for address in addresses:
            if not self._permits(host, port, address):
                raise httpcore.ConnectError(f"refused: the callback host resolves to {address}")
        return addresses

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("webhooks never connect to a unix socket")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)  # httpx's defaults


class PinnedTransport(httpx.AsyncHTTPTransport):
    """An httpx transport whose connections go through a :class:`PinnedBackend` (no proxies)."""

    def __init__(
        self,
        *,
        permits: AddressPermit,
        resolve: Resolver = _getaddrinfo,
        verify: ssl.SSLContext | bool = True,
        limits: httpx.Limits = _LIMITS,
    ) -> None:
        super().__init__(verify=verify, limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(permits=permits, resolve=resolve),
        )
