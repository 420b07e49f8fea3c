"""uvicorn's httptools protocol with the edge's limits, and ``/api/...`` sent down the fast path.

What it adds to uvicorn, which enforces none of it with httptools (issue 18; the numbers are
:class:`~onematter_gateway.domain.edge.EdgeLimits`, each answer closes the connection):

- the request head: target length (414), header line length, total size and count (431), a deadline
  (408); HTTP/1.0 and 1.1 only (505; HTTP/0.9 400); exactly one ``Host`` in HTTP/1.1 (400). httptools
  buffers a header line until it ends, so the head's bytes are also counted as they arrive: a 40 MB line
  is cut off after the first read past the limit, never buffered whole;
- the request body: a deadline and a minimum average rate (408), whoever reads it — the proxy, a
  FastAPI route, or nobody because the answer was already sent;
- an answer sent while the body is still arriving (401/404/413/429/408 …) is followed by a *lingering
  close* (the fast path's answer says ``connection: close``): the gateway half-closes, drops what the
  client still sends for at most ``lingering_close`` seconds, then closes. Closing at once would make
  the kernel reset the connection, and a reset can destroy the answer before the client read it
  (RFC 9112 §9.6);
- connections per client address and in total (:class:`~onematter_gateway.domain.connections.
  ConnectionBudget`): a connection over either limit is answered 429/503 and closed, instead of
  uvicorn's ``limit_concurrency``, which answers 503 to every request on every connection once too
  many are open — the slow clients' connections starving those already served;
- the idle keep-alive timeout.

Deadlines are checked once a second for all connections (:func:`watch_connections`), not with a timer
per request: they hold to within a second, and a timer per request measurably costs.

It relies on uvicorn's ``HttpToolsProtocol`` internals (``RequestResponseCycle``, ``_start_asgi_task``,
``_unset_keepalive_if_required``; uvicorn 0.54, pinned in gateway/pyproject.toml), so
``gateway/tests/integration/test_server.py`` and ``test_edge.py`` check it on raw sockets.
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass
from typing import Any, ClassVar

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from onematter_gateway.domain.client_address import TrustedProxies
from onematter_gateway.domain.connections import ConnectionBudget, Refusal
from onematter_gateway.domain.edge import EdgeLimits, HeadVerdict, body_verdict, head_verdict
from onematter_gateway.entrypoints.answers import (
    BAD_REQUEST,
    BODY_ANSWERS,
    HEAD_ANSWERS,
    HEAD_TIMED_OUT,
    REFUSAL_ANSWERS,
)
from onematter_gateway.service_layer.fastpath import FastPath

__all__ = ["Edge", "GatewayHttpProtocol", "watch_connections"]


@dataclass
class Edge:
    """What the connections of one server share: its limits, its connection budget, its fast path."""

    limits: EdgeLimits
    budget: ConnectionBudget
    proxies: TrustedProxies
    fast_path: FastPath | None


class _Refused(Exception):
    """Raised in a parser callback to stop parsing; the protocol's ``answer`` says what to send."""


class GatewayHttpProtocol(HttpToolsProtocol):
    """One client connection. ``edge`` is set on a subclass per server (:func:`server.protocol_for`)."""

    edge: ClassVar[Edge]

    def __init__(
        self,
        config: Any,
        server_state: Any,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.limits = self.edge.limits
        self.address: str | None = None  # counted in the budget while set
        self.refusal: Refusal | None = None
        self.answer = BAD_REQUEST  # what a refusal from a parser callback sends
        self.in_head, self.head_bytes = True, 0  # bytes received for the head being parsed
        self.url_bytes = self.head_size = self.header_lines = self.host_lines = 0  # of the parsed parts
        self.may_have_body = False
        self.head_since: float | None = None  # a request head is owed since then
        self.body_since: float | None = None  # a request body is arriving since then
        self.body_bytes = 0
        self.idle_since: float | None = None  # keep-alive, waiting for the next request
        self.linger_until: float | None = None  # lingering close: drop input until then, then close
        watch_connections(server_state, self.loop)

    # --- connection -------------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.head_since = self.loop.time()
        peer = self.client[0] if self.client else "unknown"
        self.refusal = self.edge.budget.admit(peer)
        if self.refusal is None:
            self.address = peer

    def connection_lost(self, exc: Exception | None) -> None:
        if self.address is not None:
            self.edge.budget.release(self.address)
            self.address = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.linger_until is not None:
            return  # lingering: what the client still sends is dropped
        self._unset_keepalive_if_required()
        if self.in_head:
            self.head_bytes += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._unsupported_upgrade_warning()  # no WebSockets here (run() sets ws="none")
        except httptools.HttpParserError:
            self.refuse(self.answer)
            return
        if self.in_head and self.head_bytes > self.limits.max_header_bytes:
            self.refuse(HEAD_ANSWERS[HeadVerdict.head_too_large])

    def _unset_keepalive_if_required(self) -> None:  # uvicorn calls it whenever bytes arrive
        self.idle_since = None
        super()._unset_keepalive_if_required()

    # --- parser callbacks ---------------------------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.url_bytes = self.head_size = self.header_lines = self.host_lines = 0
        self.may_have_body = False
        if self.head_since is None:
            self.head_since = self.loop.time()

    # on_url and on_header do what uvicorn's do, inline: they run for every request and header line.

    def on_url(self, url: bytes) -> None:
        self.url_bytes += len(url)
        self.head_size += len(url)
        if self.url_bytes > self.limits.max_url_bytes:
            self._stop(HEAD_ANSWERS[HeadVerdict.url_too_long])
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self.header_lines += 1
        if self.header_lines > self.limits.max_header_count:
            self._stop(HEAD_ANSWERS[HeadVerdict.too_many_headers])
        line = len(name) + len(value) + 2  # "name: value"
        if line > self.limits.max_header_line_bytes:
            self._stop(HEAD_ANSWERS[HeadVerdict.header_line_too_long])
        self.head_size += line + 2
        if self.head_size > self.limits.max_header_bytes:
            self._stop(HEAD_ANSWERS[HeadVerdict.head_too_large])
        name = name.lower()
        if name == b"host":
            self.host_lines += 1
        elif name == b"transfer-encoding" or (name == b"content-length" and value.strip() != b"0"):
            self.may_have_body = True
        elif name == b"expect" and value.lower() == b"100-continue":
            self.expect_100_continue = True
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        self.in_head, self.head_since = False, None
        version = self.parser.get_http_version()
        if version != "1.1" or self.host_lines != 1:  # the usual request needs no further look
            verdict = head_verdict(version=version, host_lines=self.host_lines)
            if verdict is not None:
                self._stop(HEAD_ANSWERS[verdict])
        if self.refusal is not None:
            self._stop(REFUSAL_ANSWERS[self.refusal])
        self.body_since, self.body_bytes = (self.loop.time() if self.may_have_body else None), 0
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        self.body_bytes += len(body)
        super().on_body(body)

    def on_message_complete(self) -> None:
        self.body_since, self.in_head, self.head_bytes = None, True, 0
        super().on_message_complete()

    def _stop(self, answer: bytes) -> None:
        self.answer = answer
        raise _Refused

    # --- requests and responses ---------------------------------------------------------------------------

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: Any) -> None:
        fast_path = self.edge.fast_path
        if fast_path is None or app is not self.app or not cycle.scope["path"].startswith("/api/"):
            super()._start_asgi_task(cycle, app)  # not ours, or a refusal
            return
        task = self.loop.create_task(fast_path.handle(cycle, app))
        task.add_done_callback(self.tasks.discard)
        self.tasks.add(task)

    def on_response_complete(self) -> None:
        """uvicorn's, except that an idle connection is noted (``idle_since``) for the once-a-second
        watch instead of getting a keep-alive timer of its own: a timer per request is measurable."""
        self.server_state.total_requests += 1
        if self.transport.is_closing() or self.linger_until is not None:
            return
        if not self.pipeline and self.cycle.more_body:
            # Answered before its body arrived (401, 404, 413, 429, 408 …): nothing more is read from
            # this client. (With requests waiting in the pipeline, this one's body has arrived.)
            self.linger()
            return
        self.flow.resume_reading()
        if self.pipeline:
            cycle, app = self.pipeline.pop()
            self._start_asgi_task(cycle, app)
        else:
            self.idle_since = self.loop.time()

    # --- refusing and closing -----------------------------------------------------------------------------

    def refuse(self, answer: bytes) -> None:
        """Send ``answer`` instead of whatever this request would have got, then close (lingering)."""
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            if cycle.response_started:  # too late for an answer: breaking off is the only signal left
                self.transport.close()
                return
            cycle.disconnected = True  # the request's task stops: receive says disconnect, send is a no-op
            cycle.message_event.set()
        self.transport.write(answer)
        self.linger()

    def linger(self) -> None:
        """Half-close, then drop the client's bytes until it closes too or ``lingering_close`` is up."""
        if self.linger_until is not None or self.transport.is_closing():
            return
        self.linger_until = self.loop.time() + self.limits.lingering_close
        self.pipeline.clear()
        self.flow.resume_reading()
        if self.transport.can_write_eof():
            self.transport.write_eof()
        else:  # pragma: no cover — TCP transports can
            self.transport.close()

    def watch(self, now: float) -> None:
        """Enforce the deadlines: head (408), body (408), lingering close, idle keep-alive."""
        if self.transport.is_closing():
            return
        if self.linger_until is not None:
            if now > self.linger_until:
                self.transport.close()
        elif self.head_since is not None and now - self.head_since > self._head_timeout():
            self.refuse(HEAD_TIMED_OUT)
        elif self.body_since is not None:
            verdict = body_verdict(
                self.limits,
                received=self.body_bytes,
                elapsed=now - self.body_since,
                reading_paused=self.flow.read_paused,
            )
            if verdict is not None:
                self.refuse(BODY_ANSWERS[verdict])
        elif self.idle_since is not None and now - self.idle_since > self.limits.keepalive_idle:
            self.transport.close()

    def _head_timeout(self) -> float:
        # A refused connection only waits for its head to be answered: it gets the shorter time.
        if self.refusal is not None:
            return min(self.limits.header_timeout, self.limits.lingering_close)
        return self.limits.header_timeout


_watched: weakref.WeakSet[Any] = weakref.WeakSet()  # uvicorn ServerStates whose connections are watched


def watch_connections(server_state: Any, loop: asyncio.AbstractEventLoop) -> None:
    """Start the once-a-second watch of ``server_state``'s connections (once per server)."""
    if server_state not in _watched:
        _watched.add(server_state)
        loop.call_later(1.0, _watch, loop, weakref.ref(server_state))


def _watch(loop: asyncio.AbstractEventLoop, server_state_ref: weakref.ref[Any]) -> None:
    server_state = server_state_ref()
    if server_state is None or loop.is_closed():
        return
    now = loop.time()
    for connection in list(server_state.connections):
        if isinstance(connection, GatewayHttpProtocol):
            connection.watch(now)
    loop.call_later(1.0, _watch, loop, server_state_ref)
