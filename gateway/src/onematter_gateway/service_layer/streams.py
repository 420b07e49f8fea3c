"""Moving bodies through the gateway without holding them whole: the client's request body to the
backend, and the backend's response back to the client.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from onematter_kit.errors import PayloadTooLargeError, ProblemError
from starlette.types import Message, Receive, Send

from onematter_gateway.adapters.upstream import UpstreamResponse

__all__ = ["ClientGone", "RequestBody", "RequestTimeout", "relay"]

log = logging.getLogger("onematter.gateway.proxy")


class RequestTimeout(ProblemError):
    status, slug, title = 408, "request-timeout", "Request body too slow"


class ClientGone(ProblemError):
    """The client hung up while sending; nobody is left to read the answer."""

    status, slug, title = 499, "client-closed-request", "Client closed request"


class RequestBody:
    """The client's body as an async iterator, cut off at ``limit`` bytes or after ``timeout`` of silence.

    A slow client (slowloris) therefore holds a connection at most ``timeout`` per chunk. When iteration
    fails, ``failure`` holds the problem to answer with (413, 408), whatever the HTTP client made of the
    exception that ended its upload.
    """

    def __init__(self, receive: Receive, *, limit: int, timeout: float) -> None:
        self._receive, self._limit, self._timeout = receive, limit, timeout
        self.failure: ProblemError | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        seen = 0
        while True:
            message = await self._next()
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self._limit:
                self.failure = PayloadTooLargeError(f"The body is larger than {self._limit} bytes.")
                raise self.failure
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                return

    async def _next(self) -> Message:
        try:
            async with asyncio.timeout(self._timeout):
                message = await self._receive()
        except TimeoutError:
            self.failure = RequestTimeout(f"No body data for {self._timeout:g} s.")
            raise self.failure from None
        if message["type"] == "http.disconnect":
            self.failure = ClientGone()
            raise self.failure
        return message


async def relay(
    response: UpstreamResponse,
    *,
    receive: Receive,
    send: Send,
    watch_disconnect: bool,
    head_only: bool = False,
) -> None:
    """Send the backend's response on; streamed bodies go chunk by chunk, never gathered.

    ``watch_disconnect`` (Server-Sent Events): stop reading the backend as soon as the client leaves,
    since an endless stream would otherwise be read for nobody. ``head_only`` (HEAD): the status and
    headers only; a streamed body is not read at all (its backend connection is then not reused).
    """
    try:
        await send({"type": "http.response.start", "status": response.status, "headers": response.headers})
        if head_only:
            await send({"type": "http.response.body", "body": b""})
            return
        if response.body is not None:
            await send({"type": "http.response.body", "body": response.body})
            return
        if watch_disconnect:
            await _stream_until_disconnect(response.chunks, receive=receive, send=send)
        else:
            await _stream(response.chunks, send)
    finally:
        response.release()


async def _stream(chunks: AsyncIterator[bytes], send: Send) -> None:
    try:
        async for chunk in chunks:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
    except Exception as exc:
        # The status line is out; the only honest signal left is to break the connection.
        log.warning("upstream body broke off", extra={"error": type(exc).__name__})
        raise
    await send({"type": "http.response.body", "body": b""})


async def _stream_until_disconnect(chunks: AsyncIterator[bytes], *, receive: Receive, send: Send) -> None:
    streaming = asyncio.ensure_future(_stream(chunks, send))

    async def wait_for_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        streaming.cancel()

    watcher = asyncio.ensure_future(wait_for_disconnect())
    try:
        with contextlib.suppress(asyncio.CancelledError):
            await streaming
    finally:
        watcher.cancel()
