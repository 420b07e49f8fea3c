"""A small HTTP/1.1 keep-alive client for the proxy hop: asyncio protocols and the httptools parser.

Why not a general client: per request, aiohttp costs the gateway ~150-200 µs of CPU and httpx more
(encode/httpx#3215); a proxy needs none of their features (cookies, redirects, decoding, retries), only
bytes in and out with flow control. Measured with ``bench/gateway_overhead.py``.

Contract: :meth:`Http1Pool.send` returns once the status line and headers arrived; the caller must read
the body to its end or call ``release`` (a connection goes back to the pool only after a complete,
keep-alive response). A broken reused connection is retried once on a fresh one, for requests without
a body only (nothing can have been processed twice then).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator
from urllib.parse import urlsplit

import httptools

from onematter_gateway.adapters.deadlines import Deadlines

__all__ = ["BrokenConnection", "Http1Pool", "Http1Response"]

_HIGH_WATER = 512 * 1024  # buffered response bytes at which reading from the backend pauses


class BrokenConnection(ConnectionError):
    """The connection closed or sent garbage before a complete response."""


class Http1Response:
    def __init__(self, connection: _Connection) -> None:
        self._connection = connection
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.headers_done: asyncio.Future[None] = connection.loop.create_future()
        self.chunks: deque[bytes] = deque()
        self.buffered = 0
        self.complete = False
        self.error: BaseException | None = None
        #: Longest wait for the next body chunk (None: forever, for Server-Sent Events).
        self.read_timeout: float | None = None
        self._waiter: asyncio.Future[None] | None = None

    def wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def whole_body(self) -> bytes | None:
        """The body when it has already arrived completely (small answers do, with their head), else None."""
        if not self.complete or self.error is not None:
            return None
        body = b"".join(self.chunks)
        self.chunks.clear()
        self.buffered = 0
        return body

    async def body(self) -> AsyncIterator[bytes]:
        """The body chunk by chunk, as it arrives; reading resumes when the consumer catches up."""
        while True:
            if self.chunks:
                chunk = self.chunks.popleft()
                self.buffered -= len(chunk)
                self._connection.resume()
                yield chunk
                continue
            if self.error is not None:
                raise BrokenConnection(str(self.error))
            if self.complete:
                return
            self._waiter = self._connection.loop.create_future()
            async with asyncio.timeout(self.read_timeout):
                await self._waiter

    def release(self) -> None:
        self._connection.finished(reusable=self.complete and self.error is None)


class _Connection(asyncio.Protocol):
    def __init__(self, pool: Http1Pool, loop: asyncio.AbstractEventLoop) -> None:
        self.pool, self.loop = pool, loop  # kept: asyncio.get_running_loop() costs a getpid() syscall on 3.11
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.response: Http1Response | None = None
        self.closed = False
        self.idle_since = time.monotonic()
        self.paused = False
        self.head_request = False
        self.reusable = True
        self._can_write: asyncio.Future[None] | None = None

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(exc)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.response is not None and not self.response.complete:
            self._fail(exc or BrokenConnection("closed by the backend"))
        if self._can_write is not None and not self._can_write.done():
            self._can_write.set_exception(BrokenConnection("closed while sending"))

    def pause_writing(self) -> None:
        self._can_write = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self._can_write is not None and not self._can_write.done():
            self._can_write.set_result(None)
        self._can_write = None

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        assert self.response is not None
        self.response.headers.append((name.lower(), value))

    def on_headers_complete(self) -> None:
        assert self.response is not None
        status = self.parser.get_status_code()
        if status < 200:  # 1xx: an interim answer, the real one follows on this connection
            self.response.headers.clear()
            return
        self.response.status = status
        if not self.response.headers_done.done():
            self.response.headers_done.set_result(None)
        if self.head_request:  # no body follows; the parser cannot be told, so the connection is not reused
            self.response.complete, self.reusable = True, False

    def on_body(self, body: bytes) -> None:
        assert self.response is not None and self.transport is not None
        self.response.chunks.append(body)
        self.response.buffered += len(body)
        if self.response.buffered > _HIGH_WATER and not self.paused:
            self.paused = True
            self.transport.pause_reading()
        self.response.wake()

    def on_message_complete(self) -> None:
        assert self.response is not None
        if self.response.status == 0:  # the end of a 1xx
            return
        # Asked here: once the message is complete the parser has reset and no longer knows.
        self.reusable = self.reusable and self.parser.should_keep_alive()
        self.response.complete = True
        self.response.wake()

    # used by the pool and the response
    def _fail(self, exc: BaseException) -> None:
        response = self.response
        if response is not None:
            response.error = exc
            if not response.headers_done.done():
                response.headers_done.set_exception(BrokenConnection(str(exc)))
            response.wake()
        self.close()

    def resume(self) -> None:
        if self.paused and self.response is not None and self.response.buffered < _HIGH_WATER // 2:
            self.paused = False
            if self.transport is not None:
                self.transport.resume_reading()

    async def drain(self) -> None:
        if self._can_write is not None:
            await self._can_write

    def finished(self, *, reusable: bool) -> None:
        keep = reusable and self.reusable and not self.closed
        self.response = None
        if keep:
            self.idle_since = time.monotonic()
            self.pool.idle.append(self)
        else:
            self.close()

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class Http1Pool:
    """Keep-alive connections to one backend (``http://host:port``); idle ones live ``keepalive`` seconds."""

    def __init__(self, base_url: str, *, connect_timeout: float, keepalive: float = 4.0) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"the proxy hop speaks plain http to a backend, not {base_url!r}")
        self.host, self.port = parts.hostname, parts.port or 80
        self._host_header = parts.netloc.encode()
        self.connect_timeout, self.keepalive = connect_timeout, keepalive
        self.idle: deque[_Connection] = deque()
        self._deadlines: Deadlines | None = None

    async def send(
        self,
        *,
        method: str,
        target: str,
        headers: list[tuple[bytes, bytes]],
        body: AsyncIterable[bytes] | None,
        timeout: float | None,  # noqa: ASYNC109 — a deadline per request, set by the route policy
    ) -> Http1Response:
        """Send the request; wait at most ``timeout`` for the response head (TimeoutError)."""
        chunked = body is not None and not any(k == b"content-length" for k, _ in headers)
        head = self._head(method, target, headers, chunked=chunked)
        connection = self._take_idle()
        if connection is not None:
            try:
                return await self._exchange(connection, method, head, body, chunked, timeout)
            except BrokenConnection:
                if body is not None:
                    raise  # a body may have been consumed: never send it twice
        connection = await self._connect()
        return await self._exchange(connection, method, head, body, chunked, timeout)

    def close(self) -> None:
        while self.idle:
            self.idle.pop().close()

    def _head(self, method: str, target: str, headers: list[tuple[bytes, bytes]], *, chunked: bool) -> bytes:
        lines = [f"{method} {target} HTTP/1.1".encode(), b"host: " + self._host_header]
        lines += [name + b": " + value for name, value in headers]
        if chunked:
            lines.append(b"transfer-encoding: chunked")
        return b"\r\n".join(lines) + b"\r\n\r\n"

    def _take_idle(self) -> _Connection | None:
        now = time.monotonic()
        while self.idle:
            connection = self.idle.pop()  # the most recently used is the least likely to be closing
            if not connection.closed and now - connection.idle_since < self.keepalive:
                return connection
            connection.close()
        return None

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(self.connect_timeout):
            _, connection = await loop.create_connection(
                lambda: _Connection(self, loop), self.host, self.port
            )
        return connection

    async def _exchange(
        self,
        connection: _Connection,
        method: str,
        head: bytes,
        body: AsyncIterable[bytes] | None,
        chunked: bool,
        timeout: float | None,  # noqa: ASYNC109 — a deadline per request, set by the route policy
    ) -> Http1Response:
        response = Http1Response(connection)
        response.read_timeout = timeout
        connection.response, connection.head_request = response, method == "HEAD"
        try:
            assert connection.transport is not None
            connection.transport.write(head)
            if body is not None:
                await _write_body(connection, body, chunked=chunked)
            if not response.headers_done.done():
                if self._deadlines is None or self._deadlines.loop is not connection.loop:
                    self._deadlines = Deadlines(connection.loop)
                await self._deadlines.wait(response.headers_done, timeout)
        except BaseException:
            response.headers_done.cancel()  # nobody awaits it now: no "exception never retrieved" later
            connection.close()
            raise
        return response


async def _write_body(connection: _Connection, body: AsyncIterable[bytes], *, chunked: bool) -> None:
    transport = connection.transport
    assert transport is not None
    async for chunk in body:
        if connection.closed:
            raise BrokenConnection("closed while sending the body")
        transport.write(b"%x\r\n%b\r\n" % (len(chunk), chunk) if chunked else chunk)
        await connection.drain()
    if chunked:
        transport.write(b"0\r\n\r\n")
