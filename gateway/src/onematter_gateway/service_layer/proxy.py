"""Forwarding one public request: policy → identity → limits → internal token → backend, streamed.

The client's own identity headers are dropped; the backend learns who is calling only from the internal
token the gateway signs for it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from onematter_gateway.adapters.tokens import AccessTokenVerifier
from onematter_gateway.adapters.upstream import HOP_BY_HOP, Upstreams
from onematter_gateway.domain.policy import RoutePolicy
from onematter_kit.errors import (
    ForbiddenError,
    NotFoundError,
    PayloadTooLargeError,
    ProblemError,
    ServiceUnavailableError,
    UnauthorizedError,
)
from onematter_kit.identity import INTERNAL_HEADER, InternalTokenSigner, Principal

__all__ = ["ANONYMOUS", "GatewayTimeout", "MethodNotAllowed", "Proxy"]

ANONYMOUS = Principal(subject="anonymous", roles=frozenset())
_STRIPPED_REQUEST = HOP_BY_HOP | {b"authorization", b"cookie", INTERNAL_HEADER.encode(), b"x-forwarded-for",
                                  b"x-request-id", b"traceparent"}
_STRIPPED_RESPONSE = HOP_BY_HOP | {b"server", b"date"}


class MethodNotAllowed(ProblemError):
    status, slug, title = 405, "method-not-allowed", "Method not allowed"


class GatewayTimeout(ProblemError):
    status, slug, title = 504, "gateway-timeout", "Upstream timed out"


class Proxy:
    def __init__(self, *, policy: RoutePolicy, verifier: AccessTokenVerifier, signer: InternalTokenSigner,
                 upstreams: Upstreams, max_body_bytes: int, max_upload_bytes: int, timeout: float) -> None:
        self.policy, self.verifier, self.signer, self.upstreams = policy, verifier, signer, upstreams
        self.max_body_bytes, self.max_upload_bytes, self.timeout = max_body_bytes, max_upload_bytes, timeout

    def authenticate(self, request: Request) -> Principal | None:
        header = request.headers.get("authorization")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise UnauthorizedError("Use 'Authorization: Bearer <access token>'.")
        return self.verifier.verify(token.strip())

    async def forward(self, request: Request) -> Response:
        matched = self.policy.match(request.method, request.url.path)
        if matched.rule is None:
            if matched.path_exists:
                raise MethodNotAllowed(f"{request.method} is not allowed on this path")
            raise NotFoundError("No such route")
        rule = matched.rule
        principal = self.authenticate(request)
        if not rule.public:
            if principal is None:
                raise UnauthorizedError("This route needs an access token.")
            if not principal.roles & rule.roles:
                raise ForbiddenError("Your role may not call this route.")
        limit = self.max_upload_bytes if rule.upload else self.max_body_bytes
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise PayloadTooLargeError(f"The body is larger than {limit} bytes.")
        headers = [(k, v) for k, v in request.headers.raw if k not in _STRIPPED_REQUEST]
        headers += [
            (INTERNAL_HEADER.encode(), self.signer.sign(principal or ANONYMOUS, audience=rule.service).encode()),
            (b"x-request-id", request.state.request_id.encode()),
            (b"traceparent", request.state.traceparent.encode()),
        ]
        if request.client:
            headers.append((b"x-forwarded-for", request.client.host.encode()))
        has_body = request.method in ("POST", "PUT", "PATCH", "DELETE")
        body = _limited(request.stream(), limit) if has_body else None
        try:
            upstream = await self.upstreams.send(rule.service, method=request.method, path=request.url.path,
                                                 query=request.url.query.encode(), headers=headers, body=body,
                                                 timeout=None if rule.stream else self.timeout)
        except httpx.TimeoutException:
            raise GatewayTimeout(f"The {rule.service} service did not answer in time.") from None
        except httpx.TransportError:
            raise ServiceUnavailableError(f"The {rule.service} service is unavailable.") from None
        response_headers = [(k, v) for k, v in upstream.headers.raw if k.lower() not in _STRIPPED_RESPONSE]
        response = StreamingResponse(upstream.aiter_raw(), status_code=upstream.status_code,
                                     background=BackgroundTask(upstream.aclose))
        # The backend's own headers (content-length included) replace Starlette's defaults.
        response.raw_headers = response_headers
        return response


async def _limited(stream: AsyncIterator[bytes], limit: int) -> AsyncIterator[bytes]:
    """Pass the body through while counting; a body that grows past the limit is cut off with a 413."""
    seen = 0
    async for chunk in stream:
        seen += len(chunk)
        if seen > limit:
            raise PayloadTooLargeError(f"The body is larger than {limit} bytes.")
        yield chunk
