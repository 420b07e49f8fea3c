"""The proxy hop: one long-lived HTTP client per backend, streaming both ways."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

__all__ = ["HOP_BY_HOP", "Upstreams"]

#: Never forwarded (RFC 9110 §7.6.1), plus what the gateway sets itself.
HOP_BY_HOP = frozenset({
    b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"te", b"trailer",
    b"transfer-encoding", b"upgrade", b"host", b"content-length",
})


class Upstreams:
    def __init__(self, base_urls: dict[str, str], *, timeout: float,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=100, keepalive_expiry=30)
        self.base_urls = base_urls
        self.clients = {
            name: httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(timeout, connect=2.0), limits=limits,
                                    transport=transport)
            for name, url in base_urls.items()
        }

    async def close(self) -> None:
        for client in self.clients.values():
            await client.aclose()

    async def send(self, service: str, *, method: str, path: str, query: bytes, headers: list[tuple[bytes, bytes]],
                   body: AsyncIterator[bytes] | bytes | None, timeout: float | None = None) -> httpx.Response:
        client = self.clients[service]
        request = client.build_request(method, httpx.URL(path=path, query=query), headers=headers,
                                       content=body)
        if timeout is not None:
            request.extensions["timeout"] = httpx.Timeout(timeout, connect=2.0).as_dict()
        return await client.send(request, stream=True)
