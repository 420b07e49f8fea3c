"""The way to the backends: a lean HTTP/1.1 hop for proxied requests, httpx for the gateway's own calls.

The proxy hop is the small keep-alive client in :mod:`http1` because measurements
(``bench/gateway_overhead.py``) showed httpx.AsyncClient (encode/httpx#3215) and aiohttp costing the
gateway more CPU per request than the backend spends answering; the gateway's own, rare calls
(readiness, OpenAPI documents, the development login) keep the httpx API, whose ``transport=`` tests use.
One long-lived session and connection pool per backend; the caller must ``close()`` them.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable
from dataclasses import dataclass

import httpx

from onematter_gateway.adapters.http1 import Http1Pool, Http1Response

__all__ = [
    "HOP_BY_HOP",
    "Upstream",
    "UpstreamResponse",
    "UpstreamTimeout",
    "UpstreamUnavailable",
    "Upstreams",
]

#: Never forwarded either way (RFC 9110 §7.6.1), plus what each hop sets itself.
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"host",
    }
)
#: Response headers the gateway's own server sets (once) instead.
_DROPPED_RESPONSE = HOP_BY_HOP | {b"server", b"date", b"x-request-id"}
#: A response already complete with its head (small ones are) and up to this size is sent in one piece;
#: others (downloads, Server-Sent Events) are streamed chunk by chunk.
_SMALL_BODY = 256 * 1024
#: Below the backends' uvicorn keep-alive (5 s), so the gateway never reuses a connection being closed.
_KEEPALIVE_SECONDS = 4.0


class UpstreamUnavailable(Exception):
    """Nothing accepted the connection, or it broke: the backend is down (503)."""


class UpstreamTimeout(Exception):
    """The backend accepted but did not answer in time (504)."""


@dataclass
class UpstreamResponse:
    status: int
    headers: list[tuple[bytes, bytes]]
    #: The whole body when it was small, else None and ``chunks`` streams it.
    body: bytes | None
    chunks: AsyncIterator[bytes]
    #: Must be called once the body was sent (or abandoned).
    release: Callable[[], None]


class Upstream:
    """One backend: a keep-alive pool, a short connect timeout, a read timeout per backend."""

    def __init__(self, base_url: str, *, timeout: float, connect_timeout: float) -> None:
        self.base_url, self.timeout = base_url, timeout
        self._pool = Http1Pool(base_url, connect_timeout=connect_timeout, keepalive=_KEEPALIVE_SECONDS)

    async def send(
        self,
        *,
        method: str,
        target: str,
        headers: list[tuple[bytes, bytes]],
        body: AsyncIterable[bytes] | None,
        stream: bool,
    ) -> UpstreamResponse:
        """Send and wait for the response head; ``stream`` routes (SSE) have no read timeout at all."""
        try:
            response = await self._pool.send(
                method=method,
                target=target,
                headers=headers,
                body=body,
                timeout=None if stream else self.timeout,
            )
        except TimeoutError as exc:
            raise UpstreamTimeout("no response in time") from exc
        except OSError as exc:  # refused, reset, BrokenConnection
            raise UpstreamUnavailable(type(exc).__name__) from exc
        headers_out = [(k, v) for k, v in response.headers if k not in _DROPPED_RESPONSE]
        if stream or not _announced_small(response.headers):
            return UpstreamResponse(response.status, headers_out, None, response.body(), response.release)
        # Most API answers: the whole body came with the head, taken without a coroutine or generator.
        whole = response.whole_body()
        if whole is None:
            whole = await _rest_of_body(response)
        response.release()
        return UpstreamResponse(response.status, headers_out, whole, _NO_CHUNKS, _nothing_to_release)

    async def close(self) -> None:
        self._pool.close()


def _announced_small(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether the backend announced a body of at most ``_SMALL_BODY`` bytes (else it is streamed)."""
    for name, value in headers:
        if name == b"content-length":
            return value.isdigit() and int(value) <= _SMALL_BODY
    return False


async def _rest_of_body(response: Http1Response) -> bytes:
    """A small announced body that has not arrived completely with its head."""
    try:
        return b"".join([chunk async for chunk in response.body()])
    except TimeoutError as exc:
        response.release()
        raise UpstreamTimeout("body not sent in time") from exc
    except OSError as exc:
        response.release()
        raise UpstreamUnavailable(type(exc).__name__) from exc


class _NoChunks(AsyncIterator[bytes]):
    """The ``chunks`` of a response whose whole body is in ``body``: always exhausted, so one is shared."""

    async def __anext__(self) -> bytes:
        raise StopAsyncIteration


_NO_CHUNKS = _NoChunks()


def _nothing_to_release() -> None:
    """The ``release`` of a whole response: its connection went back to the pool already."""


class Upstreams:
    """Every backend by name: ``hops`` for proxying, ``clients`` (httpx) for the gateway's own calls."""

    def __init__(
        self,
        base_urls: dict[str, str],
        *,
        timeouts: dict[str, float],
        connect_timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.hops = {
            name: Upstream(url, timeout=timeouts[name], connect_timeout=connect_timeout)
            for name, url in base_urls.items()
        }
        self.clients = {
            name: httpx.AsyncClient(
                base_url=url, timeout=httpx.Timeout(10.0, connect=connect_timeout), transport=transport
            )
            for name, url in base_urls.items()
        }

    async def close(self) -> None:
        for hop in self.hops.values():
            await hop.close()
        for client in self.clients.values():
            await client.aclose()
