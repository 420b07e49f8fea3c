"""Only enter one door: services accept requests only with an internal token signed for them.

A pure ASGI middleware (it runs on every request, so it stays cheap): the verified :class:`Principal` is
put in ``request.state.principal``; anything else is a 401 problem. Health and metrics stay open for the
orchestrator's probes and carry no data.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from onematter_kit.errors import ForbiddenError, UnauthorizedError
from onematter_kit.identity import INTERNAL_HEADER, InternalTokenVerifier, Principal, Role
from onematter_kit.problems import problem_response

__all__ = ["OPEN_PATHS", "CurrentPrincipal", "InternalAuthMiddleware", "current_principal", "require_roles"]

OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
_HEADER = INTERNAL_HEADER.encode()


class InternalAuthMiddleware:
    def __init__(self, app: ASGIApp, *, secret: str, audience: str) -> None:
        self.app = app
        self.verifier = InternalTokenVerifier(secret, audience=audience)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        token = next((v.decode("latin-1") for k, v in scope["headers"] if k == _HEADER), None)
        try:
            principal = self.verifier.verify(token)
        except UnauthorizedError as exc:
            response = problem_response(401, detail=exc.detail, instance=scope["path"])
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)


def current_principal(request: Request) -> Principal:
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None:  # only reachable if the middleware was not installed
        raise UnauthorizedError()
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: Role) -> Any:
    """A dependency that refuses principals without any of ``roles`` (the gateway checks this too)."""

    def check(principal: CurrentPrincipal) -> Principal:
        if not any(principal.has(role) for role in roles):
            raise ForbiddenError(f"Requires one of the roles: {', '.join(roles)}")
        return principal

    return Depends(check)
