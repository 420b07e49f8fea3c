"""The gateway's own routes: health, readiness, metrics, the merged OpenAPI and the development login."""

from __future__ import annotations

import asyncio
import hmac
import importlib.resources
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated

import httpx
from fastapi import APIRouter, Body, Header, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from onematter_events.asyncapi import build_asyncapi
from onematter_kit.errors import NotFoundError, ServiceUnavailableError, UnauthorizedError
from onematter_kit.identity import INTERNAL_HEADER, InternalTokenSigner
from onematter_kit.observability import ServiceMetrics
from onematter_kit.problems import problem_response
from pydantic import BaseModel, Field
from starlette.types import Scope

from onematter_gateway.adapters.tokens import DevelopmentIdentityProvider
from onematter_gateway.adapters.upstream import Upstreams
from onematter_gateway.domain.demo_users import DEMO_PASSWORD, OFFICER_PREFIX, demo_user
from onematter_gateway.domain.ratelimit import LoginThrottle
from onematter_gateway.service_layer.openapi import GATEWAY_SERVICE, OpenApiAggregator
from onematter_gateway.service_layer.proxy import TooManyRequests

__all__ = ["dev_identity_router", "docs_router", "system_router"]

_DOCS_ASSETS = "/docs/assets"
_SWAGGER_DIR = Path(str(importlib.resources.files("fastapi_offline") / "static"))
_SWAGGER_FILES = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css"}


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=128)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "Bearer"  # noqa: S105 — the scheme name, not a secret
    expires_in: int


def system_router(
    upstreams: Upstreams, metrics: ServiceMetrics, *, metrics_token: str | None = None
) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "alive", "service": "gateway"}

    @router.get("/readyz")
    async def readyz() -> Response:
        """200 with every backend ``ready``, else 503 naming the ones that are not."""

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

    expected = f"Bearer {metrics_token}".encode() if metrics_token else None

    @router.get("/metrics")
    async def prometheus(authorization: Annotated[str | None, Header()] = None) -> Response:
        if expected is not None and not hmac.compare_digest((authorization or "").encode(), expected):
            raise UnauthorizedError("The metrics need the scrape token (METRICS_TOKEN).")
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    return router


def docs_router(aggregator: OpenApiAggregator) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/openapi.json")
    async def openapi() -> JSONResponse:
        return JSONResponse(await aggregator.document())

    asyncapi_document = build_asyncapi()  # built once: the catalogue is fixed for the process's life

    @router.get("/asyncapi.json")
    async def asyncapi() -> JSONResponse:
        """The event contract departments subscribe to (AsyncAPI 3), generated from the event catalogue."""
        return JSONResponse(asyncapi_document, headers={"cache-control": "public, max-age=300"})

    @router.get("/docs")
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="OneMatter API",
            swagger_js_url=f"{_DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{_DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url="/favicon.svg",
        )

    @router.get(_DOCS_ASSETS + "/{name}")
    async def docs_asset(name: str) -> FileResponse:
        """Swagger UI 5 from the ``fastapi-offline`` package: /docs works without reaching a CDN (air-gapped
        government networks) and the page loads no third-party script."""
        if name not in _SWAGGER_FILES:
            raise NotFoundError("No such file.")
        return FileResponse(
            _SWAGGER_DIR / name,
            media_type=_SWAGGER_FILES[name],
            headers={"cache-control": "public, max-age=86400"},
        )

    return router


def dev_identity_router(
    idp: DevelopmentIdentityProvider,
    upstreams: Upstreams,
    signer: InternalTokenSigner,
    *,
    throttle: LoginThrottle,
    client_address: Callable[[Scope], str],
) -> APIRouter:
    """``POST /auth/token``; every attempt is counted per user name and per client address (429)."""
    router = APIRouter(tags=["development identity provider"])
    department_exists = _department_check(upstreams, signer)

    @router.post(
        "/auth/token",
        response_model=TokenResponse,
        summary="Log in as a demo user (development only; password 'demo')",
        responses={429: {"description": "Too many login attempts for this user or from this address"}},
    )
    async def issue_token(credentials: Annotated[TokenRequest, Body()], request: Request) -> TokenResponse:
        wait = throttle.wait(username=credentials.username, address=client_address(request.scope))
        if wait > 0:
            raise TooManyRequests(wait)
        principal = demo_user(credentials.username)
        if principal is None or credentials.password != DEMO_PASSWORD:
            raise UnauthorizedError("Unknown user or wrong password.")
        if credentials.username.startswith(OFFICER_PREFIX):
            try:
                exists = await department_exists(principal.department or "")
            except httpx.HTTPError:
                raise ServiceUnavailableError("The catalog cannot confirm the department now.") from None
            if not exists:
                raise UnauthorizedError("Unknown user or wrong password.")
        token, ttl = idp.issue(principal)
        return TokenResponse(access_token=token, expires_in=ttl)

    return router


def _department_check(upstreams: Upstreams, signer: InternalTokenSigner) -> Callable[[str], Awaitable[bool]]:
    """Whether the catalog knows a department (an ``officer-<code>`` demo user must name a real one)."""

    async def department_exists(code: str) -> bool:
        headers = {INTERNAL_HEADER: signer.sign(GATEWAY_SERVICE, audience="matter-catalog")}
        catalog = upstreams.clients["matter-catalog"]
        response = await catalog.get(f"/api/v1/departments/{code}", headers=headers)
        return response.status_code == 200

    return department_exists
