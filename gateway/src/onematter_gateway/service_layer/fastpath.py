"""The proxy's hot path: one ``/api/...`` request from uvicorn's parsed request straight to the backend.

It does what the ASGI stack (:class:`RequestContextMiddleware` → :class:`Proxy` → :func:`relay`) does, with
the same policy, limits, identity and problem+json answers (:meth:`Proxy.admit_request` and
:meth:`Proxy.forward` are shared), but without an ASGI scope/receive/send round per message: a small
response is written to the client as one ``transport.write`` of head and body; request ids come from the
process's PRNG; metrics use pre-bound label children; the access log line is formatted directly
(:class:`AccessLogWriter`). Streamed responses (downloads, Server-Sent Events) and request bodies still go
through uvicorn's cycle (``receive``/``send``: flow control, 100-continue, chunked encoding).

Contract with :mod:`onematter_gateway.entrypoints.server`: :meth:`FastPath.handle` gets uvicorn's
``RequestResponseCycle`` of a request whose path starts with ``/api/``, plus the ASGI app; it must
complete the response (calling ``cycle.on_response``) or hand the whole request to the ASGI app, which it
does for browsers' CORS requests when CORS is configured.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Coroutine
from typing import Any

from onematter_kit.errors import PayloadTooLargeError, ProblemError
from onematter_kit.identity import INTERNAL_HEADER, Principal
from onematter_kit.observability import (
    AccessLogWriter,
    MetricsRecorder,
    ServiceMetrics,
    clean_request_id,
    new_request_id,
    new_traceparent,
    request_id_var,
    traceparent_var,
    valid_traceparent,
)
from uvicorn.protocols.http.httptools_impl import STATUS_LINE

from onematter_gateway.adapters.upstream import UpstreamResponse
from onematter_gateway.domain.policy import RouteRule
from onematter_gateway.service_layer.proxy import ANONYMOUS, STRIPPED_REQUEST_HEADERS, Proxy, gateway_problem
from onematter_gateway.service_layer.streams import RequestBody, relay

__all__ = ["FastPath"]

log = logging.getLogger("onematter.gateway.proxy")
_INTERNAL = INTERNAL_HEADER.encode()
#: Stripped headers the fast path still reads (their values, never forwarded as sent).
_READ = {
    b"authorization",
    b"x-request-id",
    b"traceparent",
    b"transfer-encoding",
    b"x-forwarded-for",
    b"forwarded",
}


def _noop() -> None:
    pass


class FastPath:
    def __init__(
        self,
        proxy: Proxy,
        *,
        metrics: ServiceMetrics,
        access_log: AccessLogWriter,
        cors: bool,
        internal_token_ttl: float,
    ) -> None:
        self.proxy, self._access, self._cors = proxy, access_log, cors
        self._record = MetricsRecorder(metrics).record
        #: (Authorization header, service) → (internal token, reuse until): skips even the signer's cache
        #: key (a JSON dump of the principal). Reused for a sixth of the token's life, so a token sent
        #: on always has at least half of its life left (the signer renews at a third).
        self._internal: dict[tuple[bytes | None, str], tuple[bytes, float]] = {}
        self._reuse_seconds = internal_token_ttl / 6
        self._forwarded = proxy.proxies.header.encode()

    def handle(self, cycle: Any, app: Any) -> Coroutine[Any, Any, None]:
        """The coroutine that answers one request on ``cycle`` (uvicorn's), for the protocol to run as its
        task; ``app`` is the ASGI app, for what is not fast. Not a coroutine itself: the headers are sorted
        here and the task runs :meth:`_serve` directly (one coroutine frame less per request)."""
        scope = cycle.scope
        forwarded: list[tuple[bytes, bytes]] = []
        read: dict[bytes, bytes] = {}
        declared = 0
        for key, value in scope["headers"]:
            if key in STRIPPED_REQUEST_HEADERS or key.startswith(b"x-onematter-"):
                if key in _READ:
                    read[key] = read[key] + b", " + value if key in read else value
                continue
            if key == b"content-length":
                declared = int(value)  # httptools has refused a malformed one
            elif key == b"origin" and self._cors:
                return cycle.run_asgi(app)  # type: ignore[no-any-return]  # CORS: Starlette's middleware
            forwarded.append((key, value))
        return self._serve(cycle, scope, read, forwarded, declared)

    async def _serve(
        self,
        cycle: Any,
        scope: dict[str, Any],
        read: dict[bytes, bytes],
        forwarded: list[tuple[bytes, bytes]],
        declared: int,
    ) -> None:
        """Admit, forward and answer; then the metrics and the access-log line, whatever happened."""
        started = time.perf_counter()
        client_id = clean_request_id(read.get(b"x-request-id"))
        ids = self._ids(client_id, read)
        outcome: list[str | int] = ["unmatched", 500]  # route and status, as far as the request got
        try:
            await self._admit_and_forward(cycle, scope, read, forwarded, declared, ids, outcome)
        except ProblemError as exc:
            outcome[1] = exc.status
            await self._problem(cycle, exc, ids[0])
        except Exception:
            log.exception("unexpected error in the proxy")
            if cycle.response_started:
                cycle.transport.close()  # the status line is out; breaking the connection is the signal left
            else:
                await self._problem(cycle, None, ids[0])
        finally:
            cycle.on_response = _noop
            self._done(scope["method"], ids, outcome, time.perf_counter() - started, client_id is not None)

    @staticmethod
    def _ids(client_id: str | None, read: dict[bytes, bytes]) -> tuple[str, str]:
        """The request id (the client's when it is safe, else a new one) and the trace context."""
        request_id = client_id or new_request_id()
        traceparent = read.get(b"traceparent", b"").decode("latin-1")
        if not valid_traceparent(traceparent):
            traceparent = new_traceparent()
        request_id_var.set(request_id)  # for log lines of this request's task
        traceparent_var.set(traceparent)
        return request_id, traceparent

    def _done(
        self, method: str, ids: tuple[str, str], outcome: list[str | int], elapsed: float, client_id: bool
    ) -> None:
        route, status = str(outcome[0]), int(outcome[1])
        self._record(method, route, status, elapsed)
        self._access.request(
            request_id=ids[0],
            traceparent=ids[1],
            method=method,
            route=route,
            status=status,
            seconds=elapsed,
            client_request_id=client_id,
        )

    async def _admit_and_forward(
        self,
        cycle: Any,
        scope: dict[str, Any],
        read: dict[bytes, bytes],
        forwarded: list[tuple[bytes, bytes]],
        declared: int,
        ids: tuple[str, str],
        outcome: list[str | int],
    ) -> None:
        """The route policy, then the hop to the backend; raises ProblemError for the gateway's refusals."""
        (request_id, traceparent), client_ip = ids, self._client_ip(scope, read)
        rule, principal = await self.proxy.admit_request(
            method=scope["method"],
            path=scope["path"],
            client_ip=client_ip,
            authorization=read.get(b"authorization"),
        )
        outcome[0] = rule.path
        forwarded += self._context_headers(
            rule,
            principal,
            read.get(b"authorization"),
            request_id=request_id,
            traceparent=traceparent,
            client_ip=client_ip,
        )
        has_body = declared > 0 or b"transfer-encoding" in read
        response = await self._forward(cycle, rule, forwarded, has_body=has_body, declared=declared)
        outcome[1] = response.status
        await self._respond(cycle, response, request_id, stream=rule.stream)

    def _client_ip(self, scope: dict[str, Any], read: dict[bytes, bytes]) -> str:
        """The real client's address: the peer's, or from a trusted proxy's forwarding header."""
        client = scope["client"]
        peer = client[0] if client else "unknown"
        forwarded = read.get(self._forwarded)
        return self.proxy.proxies.client(peer, forwarded.decode("latin-1") if forwarded else None)

    def _context_headers(
        self,
        rule: RouteRule,
        principal: Principal | None,
        authorization: bytes | None,
        *,
        request_id: str,
        traceparent: str,
        client_ip: str,
    ) -> list[tuple[bytes, bytes]]:
        """The internal token, request id, trace context and client address the backend gets."""
        key = (authorization, rule.service)
        now = time.monotonic()
        cached = self._internal.get(key)
        if cached is None or cached[1] < now:
            token = self.proxy.signer.sign(principal or ANONYMOUS, audience=rule.service).encode()
            if len(self._internal) >= 10_000:
                self._internal.clear()  # simple bound: entries are cheap to make again
            cached = self._internal[key] = (token, now + self._reuse_seconds)
        return [
            (_INTERNAL, cached[0]),
            (b"x-request-id", request_id.encode()),
            (b"traceparent", traceparent.encode()),
            (b"x-forwarded-for", client_ip.encode()),
        ]

    def _forward(
        self,
        cycle: Any,
        rule: RouteRule,
        headers: list[tuple[bytes, bytes]],
        *,
        has_body: bool,
        declared: int,
    ) -> Coroutine[Any, Any, UpstreamResponse]:
        """The hop to the backend, to be awaited (not a coroutine itself: a frame less per request)."""
        limits = self.proxy.limits
        limit = limits.max_upload_bytes if rule.upload else limits.max_body_bytes
        if declared > limit:
            raise PayloadTooLargeError(f"The body is larger than {limit} bytes.")
        body = RequestBody(cycle.receive, limit=limit, timeout=limits.body_read_timeout) if has_body else None
        scope = cycle.scope
        target = scope["raw_path"].decode("latin-1")
        if scope["query_string"]:
            target += "?" + scope["query_string"].decode("latin-1")
        return self.proxy.forward(rule, method=scope["method"], target=target, headers=headers, body=body)

    async def _respond(
        self, cycle: Any, response: UpstreamResponse, request_id: str, *, stream: bool
    ) -> None:
        response.headers.append((b"x-request-id", request_id.encode()))
        if response.body is None:  # large or streamed: chunk by chunk through uvicorn's send
            head_only = cycle.scope["method"] == "HEAD"
            await relay(
                response, receive=cycle.receive, send=cycle.send, watch_disconnect=stream, head_only=head_only
            )
            return
        await _write_whole(cycle, response.status, response.headers, response.body)

    async def _problem(self, cycle: Any, exc: ProblemError | None, request_id: str) -> None:
        problem = gateway_problem(exc, cycle.scope["path"])
        headers = [*problem.raw_headers, (b"x-request-id", request_id.encode())]
        await _write_whole(cycle, problem.status_code, headers, bytes(problem.body))


async def _write_whole(cycle: Any, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    """Head and body in one write, then what uvicorn's ``send`` does on completion (keep-alive or close,
    start the next pipelined request). An answer sent before the request's body has arrived (a refusal)
    says ``connection: close``; the protocol then closes with a lingering close (closing at once could
    reset the connection before the client has read this answer)."""
    if cycle.flow.write_paused and not cycle.disconnected:
        await cycle.flow.drain()
    if cycle.disconnected:
        return
    parts = [STATUS_LINE[status]]
    for name, value in (*cycle.default_headers, *headers):
        parts += (name, b": ", value, b"\r\n")
    if not cycle.keep_alive or cycle.more_body:
        parts.append(b"connection: close\r\n")
    parts.append(b"\r\n")
    if cycle.scope["method"] != "HEAD":
        parts.append(body)
    cycle.response_started, cycle.waiting_for_100_continue = True, False
    cycle.transport.write(b"".join(parts))
    cycle.response_complete = True
    cycle.message_event.set()
    if not cycle.keep_alive:
        cycle.transport.close()
    cycle.on_response()
