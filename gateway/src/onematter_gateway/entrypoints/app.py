"""The gateway's composition root: ``create_app(settings)``; nothing is built at import time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import httpx
from fastapi import APIRouter, Body, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.routing import Route

from onematter_gateway.adapters.tokens import AccessTokenVerifier, DevelopmentIdentityProvider
from onematter_gateway.adapters.upstream import Upstreams
from onematter_gateway.config import GatewaySettings
from onematter_gateway.domain.demo_users import DEMO_PASSWORD, OFFICER_PREFIX, demo_user
from onematter_gateway.domain.routes import default_policy
from onematter_gateway.service_layer.proxy import Proxy
from onematter_kit.errors import ServiceUnavailableError, UnauthorizedError
from onematter_kit.identity import INTERNAL_HEADER, InternalTokenSigner, Principal, Role
from onematter_kit.observability import RequestContextMiddleware, ServiceMetrics, configure_logging
from onematter_kit.problems import install_problem_handlers, problem_response

__all__ = ["create_app"]

_GATEWAY_SERVICE = Principal(subject="gateway", roles=frozenset({Role.service}))


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=128)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int


def create_app(settings: GatewaySettings | None = None, *,
               transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    configure_logging("gateway", level=settings.log_level, json_logs=settings.log_json)
    idp = DevelopmentIdentityProvider(issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                                      ttl_seconds=settings.access_token_ttl_seconds)
    signer = InternalTokenSigner(settings.internal_token_secret, ttl_seconds=settings.internal_token_ttl_seconds)
    upstreams = Upstreams(settings.backend_urls(), timeout=settings.upstream_timeout_seconds, transport=transport)
    proxy = Proxy(policy=default_policy(),
                  verifier=AccessTokenVerifier(issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                                               keys={idp.kid: idp.public_key()}),
                  signer=signer, upstreams=upstreams, max_body_bytes=settings.max_body_bytes,
                  max_upload_bytes=settings.max_upload_bytes, timeout=settings.upstream_timeout_seconds)
    metrics = ServiceMetrics("gateway")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await upstreams.close()

    app = FastAPI(title="OneMatter API", version="1.0.0", lifespan=lifespan,
                  description="One door for getting a whole matter done (高效办成一件事).")
    app.state.proxy, app.state.idp, app.state.settings = proxy, idp, settings
    install_problem_handlers(app)
    app.include_router(_system_router(settings, upstreams, signer, metrics))
    if settings.dev_identity_provider:
        app.include_router(_dev_identity_router(idp, upstreams, signer))

    async def forward(request: Request) -> Response:
        return await proxy.forward(request)

    app.router.routes.append(Route("/api/{path:path}", forward,
                                   methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]))
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    return app


def _system_router(settings: GatewaySettings, upstreams: Upstreams, signer: InternalTokenSigner,
                   metrics: ServiceMetrics) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "alive", "service": "gateway"}

    @router.get("/readyz")
    async def readyz() -> Response:
        async def probe(name: str) -> tuple[str, str]:
            try:
                response = await upstreams.clients[name].get("/readyz", timeout=5)
                return name, "ready" if response.status_code == 200 else f"not ready ({response.status_code})"
            except httpx.HTTPError as exc:
                return name, f"unreachable ({type(exc).__name__})"

        results = dict(await asyncio.gather(*(probe(name) for name in upstreams.clients)))
        if all(v == "ready" for v in results.values()):
            return JSONResponse({"status": "ready", "services": results})
        return problem_response(503, detail="Some services are not ready.", services=results)

    @router.get("/metrics")
    async def prometheus() -> Response:
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    return router


def _dev_identity_router(idp: DevelopmentIdentityProvider, upstreams: Upstreams,
                         signer: InternalTokenSigner) -> APIRouter:
    router = APIRouter(tags=["development identity provider"])

    async def department_exists(code: str) -> bool:
        headers = {INTERNAL_HEADER: signer.sign(_GATEWAY_SERVICE, audience="matter-catalog")}
        response = await upstreams.clients["matter-catalog"].get(f"/api/v1/departments/{code}", headers=headers)
        return response.status_code == 200

    @router.post("/auth/token", response_model=TokenResponse,
                 summary="Log in as a demo user (development only; password 'demo')")
    async def issue_token(credentials: Annotated[TokenRequest, Body()]) -> TokenResponse:
        principal = demo_user(credentials.username)
        if principal is None or credentials.password != DEMO_PASSWORD:
            raise UnauthorizedError("Unknown user or wrong password.")
        if credentials.username.startswith(OFFICER_PREFIX):
            try:
                exists = await department_exists(principal.department or "")
            except httpx.HTTPError:
                raise ServiceUnavailableError("The catalog is unavailable to confirm the department.") from None
            if not exists:
                raise UnauthorizedError("Unknown user or wrong password.")
        token, ttl = idp.issue(principal)
        return TokenResponse(access_token=token, expires_in=ttl)

    return router


