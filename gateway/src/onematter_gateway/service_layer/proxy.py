"""Forwarding one public request: limits → policy → identity → internal token → backend, streamed.

A pure ASGI app for ``/api/...`` (it runs on every request, so it skips FastAPI's routing and dependency
machinery). The client's identity headers are dropped; the backend knows the caller by the internal token."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from onematter_kit.errors import (
    ForbiddenError,
    NotFoundError,
    PayloadTooLargeError,
    ProblemError,
    ServiceUnavailableError,
    UnauthorizedError,
)
from onematter_kit.identity import INTERNAL_HEADER, InternalTokenSigner, Principal
from onematter_kit.problems import ProblemDetails, problem_response
from starlette.types import Receive, Scope, Send

from onematter_gateway.adapters.tokens import AccessTokenVerifier
from onematter_gateway.adapters.upstream import (
    UpstreamResponse,
    Upstreams,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from onematter_gateway.domain.client_address import TrustedProxies
from onematter_gateway.domain.policy import RoutePolicy, RouteRule
from onematter_gateway.domain.ratelimit import TokenBucketLimiter
from onematter_gateway.service_layer.streams import RequestBody, relay

__all__ = [
    "ANONYMOUS",
    "STRIPPED_REQUEST_HEADERS",
    "GatewayTimeout",
    "Limits",
    "MethodNotAllowed",
    "Proxy",
    "TooManyRequests",
    "gateway_problem",
]

log = logging.getLogger("onematter.gateway.proxy")
ANONYMOUS = Principal(subject="anonymous", roles=frozenset())
#: Client headers never forwarded: hop-by-hop, credentials, and anything that could claim an identity or
#: a request context the gateway sets itself.
_INTERNAL = INTERNAL_HEADER.encode()
STRIPPED_REQUEST_HEADERS = _STRIPPED_REQUEST = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"host",
        b"expect",
        b"authorization",
        b"cookie",
        _INTERNAL,
        b"x-request-id",
        b"traceparent",
        b"forwarded",
        b"x-forwarded-for",
        b"x-forwarded-host",
        b"x-forwarded-proto",
        b"x-real-ip",
        b"x-user",
        b"x-user-id",
        b"x-roles",
        b"x-remote-user",
        b"remote-user",
        b"x-forwarded-user",
        b"x-auth-request-user",
        b"x-principal",
    }
)


def gateway_problem(exc: ProblemError | None, path: str) -> ProblemDetails:
    """The problem+json answer for a refused request (None: an unexpected error, already logged).

    A 401 carries the Bearer challenge (RFC 6750 §3), so clients learn which scheme to use."""
    if exc is None:
        problem = problem_response(
            500,
            slug="internal",
            title="Internal error",
            instance=path,
            detail="An unexpected error occurred; it has been logged.",
        )
    else:
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status == 401:
            headers.setdefault("WWW-Authenticate", 'Bearer realm="onematter"')
        problem = problem_response(
            exc.status, detail=exc.detail, slug=exc.slug, title=exc.title, instance=path, headers=headers
        )
    _secure(problem.raw_headers, personal=True)
    return problem


def _secure(headers: list[tuple[bytes, bytes]], *, personal: bool) -> None:
    """Headers every API answer gets unless the backend chose its own: no MIME sniffing, and answers to
    authenticated routes (personal data) are not kept by browsers or shared caches."""
    names = {name for name, _ in headers}
    if b"x-content-type-options" not in names:
        headers.append((b"x-content-type-options", b"nosniff"))
    if personal and b"cache-control" not in names:
        headers.append((b"cache-control", b"no-store"))


class MethodNotAllowed(ProblemError):
    status, slug, title = 405, "method-not-allowed", "Method not allowed"

    def __init__(self, method: str, allowed: tuple[str, ...]) -> None:
        super().__init__(f"{method} is not allowed on this path.")
        methods = sorted({*allowed, *(("HEAD",) if "GET" in allowed else ())})
        self.headers = {"Allow": ", ".join(methods)}  # RFC 9110 §15.5.6: a 405 names what is allowed


class GatewayTimeout(ProblemError):
    status, slug, title = 504, "gateway-timeout", "Upstream timed out"


class TooManyRequests(ProblemError):
    status, slug, title = 429, "rate-limited", "Too many requests"

    def __init__(self, retry_after: float) -> None:
        super().__init__("Rate limit reached; retry after the time in Retry-After.")
        self.headers = {"Retry-After": TokenBucketLimiter.retry_after_header(retry_after)}


@dataclass(frozen=True)
class Limits:
    per_identity: TokenBucketLimiter
    per_ip: TokenBucketLimiter
    max_body_bytes: int
    max_upload_bytes: int
    body_read_timeout: float


class Proxy:
    def __init__(
        self,
        *,
        policy: RoutePolicy,
        verifier: AccessTokenVerifier,
        signer: InternalTokenSigner,
        upstreams: Upstreams,
        limits: Limits,
        proxies: TrustedProxies | None = None,
    ) -> None:
        self.policy, self.verifier, self.signer, self.upstreams = policy, verifier, signer, upstreams
        self.limits = limits
        #: Whose forwarding header is believed (none by default): rate limits key on the real client.
        self.proxies = proxies or TrustedProxies(())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            rule, principal = await self.admit(scope)
            scope["route"] = rule  # the access log and metrics label requests by the policy's path
            response = await self._send_upstream(scope, receive, rule, principal)
        except ProblemError as exc:
            await gateway_problem(exc, scope["path"])(scope, receive, send)
            return
        except Exception:
            log.exception("unexpected error in the proxy")
            await gateway_problem(None, scope["path"])(scope, receive, send)
            return
        head_only = scope["method"] == "HEAD"
        await relay(response, receive=receive, send=send, watch_disconnect=rule.stream, head_only=head_only)

    async def admit(self, scope: Scope) -> tuple[RouteRule, Principal | None]:
        """The matching rule and the verified caller, or the problem that refuses the request."""
        authorization = next((v for k, v in scope["headers"] if k == b"authorization"), None)
        return await self.admit_request(
            method=scope["method"],
            path=scope["path"],
            client_ip=self.client_address(scope),
            authorization=authorization,
        )

    def client_address(self, scope: Scope) -> str:
        """The real client's address of an ASGI request (see :class:`TrustedProxies`)."""
        client = scope.get("client")
        peer = client[0] if client else "unknown"
        name = self.proxies.header.encode()
        values = [v.decode("latin-1") for k, v in scope["headers"] if k == name]
        return self.proxies.client(peer, ", ".join(values) or None)

    async def admit_request(
        self, *, method: str, path: str, client_ip: str, authorization: bytes | None
    ) -> tuple[RouteRule, Principal | None]:
        """:meth:`admit` on a request's parts (the ASGI path and the fast path share it)."""
        if (wait := self.limits.per_ip.acquire(client_ip)) > 0:
            raise TooManyRequests(wait)
        matched = self.policy.match(method, path)
        if matched.rule is None:
            if matched.allowed:
                raise MethodNotAllowed(method, matched.allowed)
            raise NotFoundError("No such route.")
        principal = await self.authenticate(authorization)
        self._authorize(matched.rule, principal)
        if principal is not None and (wait := self.limits.per_identity.acquire(principal.subject)) > 0:
            raise TooManyRequests(wait)
        return matched.rule, principal

    async def authenticate(self, header: bytes | None) -> Principal | None:
        """The verified caller of an ``Authorization`` value (cached as it came); None without one."""
        if header is None:
            return None
        if (known := self.verifier.cached(header)) is not None:
            return known
        scheme, _, token = header.decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise UnauthorizedError("Use 'Authorization: Bearer <access token>'.")
        return await self.verifier.verify(token.strip(), remember_as=header)

    @staticmethod
    def _authorize(rule: RouteRule, principal: Principal | None) -> None:
        if rule.public:
            return
        if principal is None:
            raise UnauthorizedError("This route needs an access token.")
        if not principal.roles & rule.roles:
            raise ForbiddenError("Your role may not call this route.")

    async def _send_upstream(
        self, scope: Scope, receive: Receive, rule: RouteRule, principal: Principal | None
    ) -> UpstreamResponse:
        headers, has_body = self._upstream_headers(scope, rule, principal)
        limit = self.limits.max_upload_bytes if rule.upload else self.limits.max_body_bytes
        body = RequestBody(receive, limit=limit, timeout=self.limits.body_read_timeout) if has_body else None
        target = scope["raw_path"].decode("latin-1") if scope.get("raw_path") else scope["path"]
        if scope.get("query_string"):
            target += "?" + scope["query_string"].decode("latin-1")
        return await self.forward(rule, method=scope["method"], target=target, headers=headers, body=body)

    async def forward(
        self,
        rule: RouteRule,
        *,
        method: str,
        target: str,
        headers: list[tuple[bytes, bytes]],
        body: RequestBody | None,
    ) -> UpstreamResponse:
        """Send to the rule's backend; its failures become 503/504, a failing client body 413/408/499.

        A HEAD is sent on as a GET (the services' FastAPI routes know no HEAD); the caller sends the
        answer's head only (RFC 9110 §9.3.2: the same header fields a GET would get)."""
        try:
            response = await self.upstreams.hops[rule.service].send(
                method="GET" if method == "HEAD" else method,
                target=target,
                headers=headers,
                body=body,
                stream=rule.stream,
            )
        except Exception as exc:
            if body is not None and body.failure is not None:
                raise body.failure from None  # the client's fault (413, 408), not the backend's
            if isinstance(exc, UpstreamTimeout):
                raise GatewayTimeout(f"The {rule.service} service did not answer in time.") from None
            if isinstance(exc, UpstreamUnavailable):
                raise ServiceUnavailableError(f"The {rule.service} service is unavailable.") from None
            raise
        _secure(response.headers, personal=not rule.public)
        return response

    def _upstream_headers(
        self, scope: Scope, rule: RouteRule, principal: Principal | None
    ) -> tuple[list[tuple[bytes, bytes]], bool]:
        headers: list[tuple[bytes, bytes]] = []
        has_body = False
        limit = self.limits.max_upload_bytes if rule.upload else self.limits.max_body_bytes
        for key, value in scope["headers"]:
            if key in _STRIPPED_REQUEST or key.startswith(b"x-onematter-"):
                has_body = has_body or key == b"transfer-encoding"
                continue
            if key == b"content-length":
                if value.isdigit() and int(value) > limit:  # uvicorn already refused a malformed one
                    raise PayloadTooLargeError(f"The body is larger than {limit} bytes.")
                has_body = has_body or value != b"0"
            headers.append((key, value))
        state = scope["state"]
        token = self.signer.sign(principal or ANONYMOUS, audience=rule.service)
        headers += [
            (_INTERNAL, token.encode()),
            (b"x-request-id", state["request_id"].encode()),
            (b"traceparent", state["traceparent"].encode()),
        ]
        headers.append((b"x-forwarded-for", self.client_address(scope).encode()))
        return headers, has_body
