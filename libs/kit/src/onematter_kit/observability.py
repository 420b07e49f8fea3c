"""Request ids, W3C trace context and Prometheus metrics for every process; the logs themselves (JSON,
personal data masked) are :mod:`onematter_kit.logs`, re-exported here."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import secrets
import sys
import time
import uuid
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from onematter_kit.logs import JsonFormatter, configure_logging, redact, request_id_var, traceparent_var

__all__ = [
    "AccessLogWriter",
    "JsonFormatter",
    "MetricsRecorder",
    "RequestContextMiddleware",
    "ServiceMetrics",
    "clean_request_id",
    "configure_logging",
    "new_request_id",
    "new_traceparent",
    "redact",
    "request_id_var",
    "traceparent_var",
    "valid_traceparent",
]

_TRACEPARENT = re.compile(r"^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")
#: Seeded from the OS once; request and trace ids need uniqueness, not secrecy.
_random = random.Random()  # noqa: S311


class ServiceMetrics:
    """The Prometheus registry of one process (not the global one, so tests can build many apps)."""

    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "onematter_http_requests_total",
            "HTTP requests",
            ["service", "method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "onematter_http_request_duration_seconds",
            "HTTP request latency",
            ["service", "method", "route"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.service = service

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class RequestContextMiddleware:
    """Request id and trace context for every request, an access log line and the request metrics."""

    def __init__(
        self, app: ASGIApp, *, metrics: ServiceMetrics, logger_name: str = "onematter.access"
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.log = logging.getLogger(logger_name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = clean_request_id(headers.get(b"x-request-id")) or uuid.uuid4().hex
        traceparent = headers.get(b"traceparent", b"").decode("latin-1")
        if not _TRACEPARENT.match(traceparent):
            traceparent = f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"
        scope.setdefault("state", {})["request_id"] = request_id
        scope["state"]["traceparent"] = traceparent
        rid_token, tp_token = request_id_var.set(request_id), traceparent_var.set(traceparent)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, status, time.perf_counter() - started)
            request_id_var.reset(rid_token)
            traceparent_var.reset(tp_token)

    def _record(self, scope: Scope, status: int, elapsed: float) -> None:
        """The request's metrics, and its access-log line unless it was a probe or a scrape."""
        route = getattr(scope.get("route"), "path", None) or "unmatched"
        method = scope["method"]
        self.metrics.requests.labels(self.metrics.service, method, route, str(status)).inc()
        self.metrics.latency.labels(self.metrics.service, method, route).observe(elapsed)
        if route not in ("/healthz", "/readyz", "/metrics"):
            self.log.info(
                "request",
                extra={
                    "method": method,
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )


# --- fast helpers for hot paths (the gateway's proxy); same output as the classes above, less CPU -------

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def new_request_id() -> str:
    """32 hex digits, like ``uuid4().hex``, from the process's PRNG: no ``getrandom`` syscall per request
    (a request id needs to be unique, not unguessable)."""
    return "%032x" % _random.getrandbits(128)  # noqa: UP031 — the fastest way to a fixed-width hex string


def new_traceparent() -> str:
    """A fresh W3C ``traceparent`` (sampled), with random ids from the process's PRNG."""
    return "00-%032x-%016x-01" % (_random.getrandbits(128) | 1, _random.getrandbits(64) | 1)  # noqa: UP031


def clean_request_id(raw: bytes | None) -> str | None:
    """A client's ``X-Request-ID`` when it is safe to log and forward (1-128 of ``[A-Za-z0-9._:-]``)."""
    if not raw:
        return None
    value = raw.decode("latin-1")
    return value if _REQUEST_ID.fullmatch(value) else None


def valid_traceparent(value: str) -> bool:
    return _TRACEPARENT.match(value) is not None


class MetricsRecorder:
    """``record(method, route, status, seconds)`` on a :class:`ServiceMetrics`, with the label children
    bound once per (method, route, status) instead of looked up by labels on every request."""

    def __init__(self, metrics: ServiceMetrics) -> None:
        self._metrics = metrics
        self._bound: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def record(self, method: str, route: str, status: int, seconds: float) -> None:
        bound = self._bound.get((method, route, status))
        if bound is None:
            m = self._metrics
            bound = (
                m.requests.labels(m.service, method, route, str(status)).inc,
                m.latency.labels(m.service, method, route).observe,
            )
            self._bound[(method, route, status)] = bound
        bound[0]()
        bound[1](seconds)


class AccessLogWriter:
    """The access-log line of :class:`RequestContextMiddleware` (same JSON fields and order as
    :class:`JsonFormatter`), formatted without the logging machinery and written in batches.

    Lines are buffered and written to ``sys.stdout`` at most ``flush_interval`` seconds later by the
    running event loop (one write for many requests instead of a write and flush per request); call
    :meth:`flush` on shutdown. Redaction: every field is one the writer controls (method, the policy's
    route template, status, duration, generated ids) except a client-supplied request id, which is
    redacted like any log text. Enabled only for JSON logs with ``onematter.access`` at INFO; otherwise
    :meth:`request` goes through the ``logging`` module as before.
    """

    def __init__(
        self,
        service: str,
        *,
        json_logs: bool = True,
        logger_name: str = "onematter.access",
        flush_interval: float = 0.05,
    ) -> None:
        self._service, self._json, self._interval = service, json_logs, flush_interval
        self._log = logging.getLogger(logger_name)
        self._prefix = (
            f'", "level": "info", "service": {json.dumps(service)}, '
            f'"logger": {json.dumps(logger_name)}, "message": "request", "request_id": "'
        )
        self._lines: list[str] = []
        self._second, self._stamp = -1, ""

    def request(
        self,
        *,
        request_id: str,
        traceparent: str,
        method: str,
        route: str,
        status: int,
        seconds: float,
        client_request_id: bool = False,
    ) -> None:
        if not self._log.isEnabledFor(logging.INFO):
            return
        if not self._json:
            request_id_var.set(request_id)
            traceparent_var.set(traceparent)
            self._log.info(
                "request",
                extra={
                    "method": method,
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                },
            )
            return
        now = time.time()
        if client_request_id:
            request_id = redact(request_id)
        self._lines.append(
            f'{{"time": "{self._time(now)}{self._prefix}{request_id}", '
            f'"trace_id": "{traceparent[3:35]}", "method": "{method}", "route": "{route}", '
            f'"status": {status}, "duration_ms": {round(seconds * 1000, 2)}}}\n'
        )
        if len(self._lines) == 1:
            try:
                asyncio.get_running_loop().call_later(self._interval, self.flush)
            except RuntimeError:  # no loop: write at once
                self.flush()

    def flush(self) -> None:
        if self._lines:
            text, self._lines = "".join(self._lines), []
            sys.stdout.write(text)
            sys.stdout.flush()

    def _time(self, now: float) -> str:
        second = int(now)
        if second != self._second:
            self._second, self._stamp = second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        return f"{self._stamp}.{int((now - second) * 1000):03d}Z"
