"""The gateway's composition root: ``create_app(settings)``; nothing is built at import time.

``/api/...``: RequestContext (request id, traceparent, access log, metrics) → CORS → the pure-ASGI
:class:`Proxy`; everything else (health, metrics, OpenAPI, development login): FastAPI as usual.
Served by :mod:`onematter_gateway.entrypoints.server` (``python -m onematter_gateway``), ``/api/...``
takes ``app.state.fast_path`` instead, which does the same work without the ASGI round trips.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

import httpx
from fastapi import FastAPI
from onematter_kit.identity import InternalTokenSigner
from onematter_kit.observability import (
    AccessLogWriter,
    RequestContextMiddleware,
    ServiceMetrics,
    configure_logging,
)
from onematter_kit.problems import install_problem_handlers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from onematter_gateway.adapters.keys import JwksKeySource, KeySource, StaticKeySource
from onematter_gateway.adapters.tokens import AccessTokenVerifier, DevelopmentIdentityProvider
from onematter_gateway.adapters.upstream import Upstreams
from onematter_gateway.config import GatewaySettings
from onematter_gateway.domain.client_address import TrustedProxies
from onematter_gateway.domain.policy import RoutePolicy
from onematter_gateway.domain.ratelimit import LoginThrottle, TokenBucketLimiter
from onematter_gateway.domain.routes import default_policy
from onematter_gateway.entrypoints.routers import dev_identity_router, docs_router, system_router
from onematter_gateway.entrypoints.web import mount_web
from onematter_gateway.service_layer.fastpath import FastPath
from onematter_gateway.service_layer.openapi import OpenApiAggregator
from onematter_gateway.service_layer.proxy import Limits, Proxy

__all__ = ["create_app"]

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(
    settings: GatewaySettings | None = None,
    *,
    policy: RoutePolicy | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """``policy`` defaults to the services' table; ``transport`` replaces the network for the gateway's own
    httpx calls (readiness, OpenAPI documents, login, JWKS) in tests; proxied requests always use sockets."""
    settings = settings or GatewaySettings()
    configure_logging("gateway", level=settings.log_level, json_logs=settings.log_json)
    parts = _assemble(settings, policy or default_policy(), transport)
    access_log = AccessLogWriter("gateway", json_logs=settings.log_json)
    app = GatewayApp(
        title="OneMatter API",
        version="1.0.0",
        lifespan=_lifespan(parts, access_log),
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        description="One door for getting a whole matter done (高效办成一件事).",
    )
    app.state.proxy, app.state.idp, app.state.settings = parts.proxy, parts.idp, settings
    app.state.trusted_proxies = parts.proxy.proxies
    install_problem_handlers(app)
    metrics = ServiceMetrics("gateway")
    _add_routes(app, parts, settings, metrics)
    app.api = RequestContextMiddleware(_with_cors(parts.proxy, settings), metrics=metrics)
    app.state.fast_path = FastPath(
        parts.proxy,
        metrics=metrics,
        access_log=access_log,
        cors=bool(settings.cors_origins),
        internal_token_ttl=settings.internal_token_ttl_seconds,
    )
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    mount_web(app)  # the reference front-end at /: must stay the last route added
    return app


def _lifespan(parts: _Parts, access_log: AccessLogWriter) -> Lifespan:
    """On shutdown: the access log is flushed, the backends' and the JWKS clients closed."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            access_log.flush()
            await parts.upstreams.close()
            if isinstance(parts.keys, JwksKeySource):
                await parts.keys.close()

    return lifespan


@dataclass(frozen=True)
class _Parts:
    idp: DevelopmentIdentityProvider
    keys: KeySource
    signer: InternalTokenSigner
    upstreams: Upstreams
    policy: RoutePolicy
    proxy: Proxy


def _assemble(
    settings: GatewaySettings, policy: RoutePolicy, transport: httpx.AsyncBaseTransport | None
) -> _Parts:
    """The identity provider, keys, signer, backends and the proxy, wired from the settings."""
    idp = DevelopmentIdentityProvider(
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        ttl_seconds=settings.access_token_ttl_seconds,
    )
    keys = _key_source(settings, idp, transport)
    signer = settings.internal_signer()
    backends = settings.backend_urls()
    upstreams = Upstreams(
        backends,
        timeouts={name: settings.timeout_for(name) for name in backends},
        connect_timeout=settings.upstream_connect_timeout_seconds,
        transport=transport,
    )
    verifier = AccessTokenVerifier(
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        algorithms=settings.jwt_algorithms,
        keys=keys,
    )
    proxy = Proxy(
        proxies=TrustedProxies(settings.trusted_proxies, header=settings.forwarded_header),
        policy=policy,
        signer=signer,
        upstreams=upstreams,
        limits=_limits(settings),
        verifier=verifier,
    )
    return _Parts(idp, keys, signer, upstreams, policy, proxy)


def _add_routes(app: FastAPI, parts: _Parts, settings: GatewaySettings, metrics: ServiceMetrics) -> None:
    """The gateway's own routes: health and metrics, the development login, the documents."""
    app.include_router(system_router(parts.upstreams, metrics, metrics_token=settings.metrics_token))
    if settings.dev_identity_provider:
        login = dev_identity_router(
            parts.idp,
            parts.upstreams,
            parts.signer,
            throttle=_login_throttle(settings),
            client_address=parts.proxy.client_address,
        )
        app.include_router(login)
    aggregator = OpenApiAggregator(
        policy=parts.policy,
        clients=parts.upstreams.clients,
        signer=parts.signer,
        own=app.openapi(),
        cache_seconds=settings.openapi_cache_seconds,
    )
    app.include_router(docs_router(aggregator))


def _with_cors(app: ASGIApp, settings: GatewaySettings) -> ASGIApp:
    """Browsers' CORS for the API, from settings; credentials are allowed only with listed origins."""
    if not settings.cors_origins:
        return app
    return CORSMiddleware(
        app,
        allow_origins=settings.cors_origins,
        allow_credentials=True,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["authorization", "content-type", "x-request-id", "traceparent"],
        expose_headers=["x-request-id", "retry-after", "location"],
        max_age=600,
    )


class GatewayApp(FastAPI):
    """FastAPI for the gateway's own routes; ``/api/...`` goes to ``api`` past FastAPI's middleware and
    router, since the proxy is the hot path and handles its own errors as problem+json.

    HEAD is answered wherever GET is (RFC 9110 §9.3.2): FastAPI's routes know only the methods they
    name, so its router sees a GET, and uvicorn, which still knows the request as a HEAD, sends the head
    of that answer (with its ``content-length``) and no body."""

    api: ASGIApp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/"):
            await self.api(scope, receive, send)
        elif scope["type"] == "http" and scope["method"] == "HEAD":
            await super().__call__({**scope, "method": "GET"}, receive, send)
        else:
            await super().__call__(scope, receive, send)


def _key_source(
    settings: GatewaySettings, idp: DevelopmentIdentityProvider, transport: httpx.AsyncBaseTransport | None
) -> KeySource:
    if settings.jwks_url:
        return JwksKeySource(
            settings.jwks_url,
            algorithms=settings.jwt_algorithms,
            cache_seconds=settings.jwks_cache_seconds,
            min_refresh_seconds=settings.jwks_min_refresh_seconds,
            transport=transport,
        )
    return StaticKeySource({idp.kid: idp.public_key()})


def _login_throttle(settings: GatewaySettings) -> LoginThrottle:
    return LoginThrottle(
        per_user=TokenBucketLimiter(
            rate=settings.login_attempts_per_user_per_minute / 60,
            burst=settings.login_attempts_per_user_burst,
        ),
        per_address=TokenBucketLimiter(
            rate=settings.login_attempts_per_address_per_minute / 60,
            burst=settings.login_attempts_per_address_burst,
        ),
    )


def _limits(settings: GatewaySettings) -> Limits:
    return Limits(
        per_identity=TokenBucketLimiter(
            rate=settings.rate_limit_identity_per_second, burst=settings.rate_limit_identity_burst
        ),
        per_ip=TokenBucketLimiter(rate=settings.rate_limit_ip_per_second, burst=settings.rate_limit_ip_burst),
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        body_read_timeout=settings.body_read_timeout_seconds,
    )
