"""For the side-by-side measurement only: the gateway's hop to the backend through aiohttp's client
(a well-kept library) instead of the gateway's own HTTP/1.1 client (``adapters/http1.py``).

:func:`use_aiohttp_hop` replaces ``Http1Pool`` where ``adapters/upstream.py`` looks it up, before the
app is built; the replacement offers what ``Upstream`` uses of it, nothing more.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator

import aiohttp

__all__ = ["use_aiohttp_hop"]


class _Response:
    def __init__(self, response: aiohttp.ClientResponse, whole: bytes | None) -> None:
        self._response, self._whole = response, whole
        self.status = response.status
        self.headers = [(k.lower(), v) for k, v in response.raw_headers]

    def whole_body(self) -> bytes | None:
        return self._whole

    async def body(self) -> AsyncIterator[bytes]:
        async for chunk in self._response.content.iter_any():
            yield chunk

    def release(self) -> None:
        self._response.release()


class AiohttpPool:
    def __init__(self, base_url: str, *, connect_timeout: float, keepalive: float = 4.0) -> None:
        self.base_url, self.connect_timeout, self.keepalive = base_url.rstrip("/"), connect_timeout, keepalive
        self._session: aiohttp.ClientSession | None = None

    async def send(
        self,
        *,
        method: str,
        target: str,
        headers: list[tuple[bytes, bytes]],
        body: AsyncIterable[bytes] | None,
        timeout: float | None,  # noqa: ASYNC109
    ) -> _Response:
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=self.keepalive)
            self._session = aiohttp.ClientSession(connector=connector, auto_decompress=False)
        response = await self._session.request(
            method,
            self.base_url + target,
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers],
            data=body,
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=self.connect_timeout, sock_read=timeout),
            allow_redirects=False,
        )
        small = response.content_length is not None and response.content_length <= 256 * 1024
        whole = await response.read() if small else None
        return _Response(response, whole)

    def close(self) -> None:
        pass  # the process ends with the benchmark


def use_aiohttp_hop() -> None:
    import onematter_gateway.adapters.upstream as upstream

    upstream.Http1Pool = AiohttpPool  # type: ignore[misc, assignment]
