"""The gateway's HTTP server: uvicorn with a protocol class that sends ``/api/...`` down the fast path.

Why hook uvicorn instead of a server of our own: uvicorn already does the parts that are easy to get
subtly wrong — lifespan, SIGTERM with a graceful drain, ``limit_concurrency``, keep-alive timeouts,
pipelining (one request at a time per connection, in order), flow control, ``Expect: 100-continue``,
chunked request bodies, malformed requests → 400 — and it stays the server of everything that is not
``/api/...`` (health, metrics, OpenAPI, docs, login, the front-end). The profile of the old gateway showed
the cost not in uvicorn's parser but in the ASGI round per message, the middleware and the logging; so
:class:`GatewayHttpProtocol` changes one thing: a parsed ``/api/...`` request starts
:meth:`FastPath.handle` on uvicorn's request cycle instead of the ASGI app (see
:mod:`onematter_gateway.service_layer.fastpath`). It relies on uvicorn's ``HttpToolsProtocol`` internals
(``_start_asgi_task``, ``RequestResponseCycle``, ``_TrustedHosts``; uvicorn 0.3x-0.5x), so
``gateway/tests/integration/test_server.py`` checks the HTTP behaviour end to end on raw sockets.

It adds what uvicorn lacks: a deadline for a request's head (slowloris); that and the keep-alive
timeout are checked once a second for all connections rather than with a timer per request (so they
hold to within a second). Run with plain ``uvicorn --factory ...:create_app`` the gateway works the
same, through the slower ASGI path; ``python -m onematter_gateway`` (``make run``, ``deploy/``) uses this.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from typing import Any, ClassVar

import uvicorn
from fastapi import FastAPI
from onematter_kit.errors import PROBLEM_BASE
from uvicorn.middleware.proxy_headers import _TrustedHosts
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from onematter_gateway.service_layer.fastpath import FastPath

__all__ = ["GatewayHttpProtocol", "protocol_for", "run"]

_TIMED_OUT_BODY = json.dumps(
    {
        "type": PROBLEM_BASE + "request-timeout",
        "title": "Request header timeout",
        "status": 408,
        "detail": "The request head was not sent in time.",
    }
).encode()
_TIMED_OUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/problem+json\r\n"
    b"connection: close\r\ncontent-length: %d\r\n\r\n%b" % (len(_TIMED_OUT_BODY), _TIMED_OUT_BODY)
)
_watched: weakref.WeakSet[Any] = weakref.WeakSet()  # uvicorn ServerStates whose connections are watched


class GatewayHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol; ``/api/...`` goes to :attr:`fast_path` (None: all to the ASGI app)."""

    fast_path: ClassVar[FastPath | None] = None
    #: The longest a client may take to send a request's head (request line and headers).
    header_timeout: ClassVar[float] = 10.0

    def __init__(
        self,
        config: Any,
        server_state: Any,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.head_since: float | None = None
        self.idle_since: float | None = None
        if self.fast_path is not None and config.proxy_headers and self.fast_path.trusted_hosts is None:
            self.fast_path.trusted_hosts = _TrustedHosts(config.forwarded_allow_ips or "127.0.0.1")
        if server_state not in _watched:
            _watched.add(server_state)
            self.loop.call_later(1.0, _watch_heads, self.loop, weakref.ref(server_state))

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.head_since = self.loop.time()  # a new connection owes us a request head

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self.head_since is None:
            self.head_since = self.loop.time()

    def on_headers_complete(self) -> None:
        self.head_since = None
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        """uvicorn's, except that an idle connection is noted (``idle_since``) for the once-a-second
        watch instead of getting a keep-alive timer of its own: a timer per request is measurable."""
        self.server_state.total_requests += 1
        if self.transport.is_closing():
            return
        self.flow.resume_reading()
        if self.pipeline:
            cycle, app = self.pipeline.pop()
            self._start_asgi_task(cycle, app)
        else:
            self.idle_since = self.loop.time()

    def _unset_keepalive_if_required(self) -> None:  # uvicorn calls it whenever bytes arrive
        self.idle_since = None
        super()._unset_keepalive_if_required()

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: Any) -> None:
        if self.fast_path is None or app is not self.app or not cycle.scope["path"].startswith("/api/"):
            super()._start_asgi_task(cycle, app)  # not ours, or the 503 of limit_concurrency
            return
        task = self.loop.create_task(self.fast_path.handle(cycle, app))
        task.add_done_callback(self.tasks.discard)
        self.tasks.add(task)

    def watch(self, now: float) -> None:
        """Close the connection if its request head is overdue (408) or it idled past keep-alive."""
        if self.transport.is_closing():
            return
        if self.head_since is not None and now - self.head_since > self.header_timeout:
            self.transport.write(_TIMED_OUT)
            self.transport.close()
        elif self.idle_since is not None and now - self.idle_since > self.timeout_keep_alive:
            self.transport.close()


def _watch_heads(loop: asyncio.AbstractEventLoop, server_state_ref: weakref.ref[Any]) -> None:
    """Once a second: the head deadlines and keep-alive timeouts of all connections, then again later."""
    server_state = server_state_ref()
    if server_state is None or loop.is_closed():
        return
    now = loop.time()
    for connection in list(server_state.connections):
        if isinstance(connection, GatewayHttpProtocol):
            connection.watch(now)
    loop.call_later(1.0, _watch_heads, loop, server_state_ref)


def protocol_for(app: FastAPI) -> type[GatewayHttpProtocol]:
    """A protocol class bound to ``app``'s fast path (uvicorn's ``http=``), one per app."""
    fast_path: FastPath = app.state.fast_path
    return type(
        "GatewayHttpProtocol",
        (GatewayHttpProtocol,),
        {"fast_path": fast_path, "header_timeout": app.state.settings.header_read_timeout_seconds},
    )


def run(
    app: FastAPI, *, host: str, port: int, limit_concurrency: int | None, forwarded_allow_ips: str | None
) -> None:
    """Serve ``app`` until SIGTERM/SIGINT (then finish in-flight requests, at most 20 s)."""
    uvicorn.run(
        app,
        host=host,
        port=port,
        loop="uvloop",
        http=protocol_for(app),
        timeout_keep_alive=5,
        limit_concurrency=limit_concurrency,
        proxy_headers=forwarded_allow_ips is not None,
        forwarded_allow_ips=forwarded_allow_ips,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=20,
        log_config=None,
    )  # logging is configured by create_app
