"""Gateway settings: the backends it routes to, the identity it trusts and the limits it enforces."""

from __future__ import annotations

import ipaddress
from typing import ClassVar, Literal

from onematter_kit.errors import ConfigurationError
from onematter_kit.settings import Environment, ServiceSettings
from pydantic import Field, model_validator

from onematter_gateway.domain.edge import EdgeLimits

__all__ = ["GatewaySettings"]

#: Asymmetric algorithms an external OIDC issuer may sign with; HS* would let anyone with the key forge.
_ASYMMETRIC = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"
    uses_database: ClassVar[bool] = False
    catalog_url: str = "http://127.0.0.1:8101"
    acceptance_url: str = "http://127.0.0.1:8102"
    material_url: str = "http://127.0.0.1:8103"
    notification_url: str = "http://127.0.0.1:8104"
    hotline_url: str = "http://127.0.0.1:8105"
    #: The issuer whose tokens are accepted; the development identity provider uses this one.
    jwt_issuer: str = "https://idp.onematter.local/dev"
    jwt_audience: str = "onematter"
    #: The algorithms pinned for ``jwt_issuer`` (a token naming any other is refused before key lookup).
    jwt_algorithms: list[str] = Field(default_factory=lambda: ["RS256"])
    #: Production: the external OIDC issuer's JWKS URL (configured, never taken from a token).
    jwks_url: str | None = None
    jwks_cache_seconds: float = Field(default=3600, ge=10)
    #: An unknown ``kid`` refetches the JWKS at most this often, so junk tokens cannot flood the issuer.
    jwks_min_refresh_seconds: float = Field(default=30, ge=0)
    access_token_ttl_seconds: int = Field(default=3600, ge=60, le=86400)
    dev_identity_provider: bool = True
    upstream_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    #: Per-backend overrides of ``upstream_timeout_seconds``, e.g. ``{"material": 120}``.
    upstream_timeouts: dict[str, float] = Field(default_factory=dict)
    #: A backend that does not accept the connection within this is answered 503 at once.
    upstream_connect_timeout_seconds: float = Field(default=1.0, gt=0, le=30)
    #: The longest wait for the next chunk of a client's body; slower clients get 408.
    body_read_timeout_seconds: float = Field(default=15.0, gt=0, le=600)

    # --- The edge: limits of the HTTP server (``python -m onematter_gateway``); gateway/README.md says
    # what a client gets for each and why the default is what it is. Each answer closes the connection.
    #: The longest a client may take to send a request's head (slowloris): 408.
    header_read_timeout_seconds: float = Field(default=10.0, gt=0, le=600)
    #: The longest request target (path and query), in bytes: 414.
    max_url_bytes: int = Field(default=8192, ge=256, le=1024 * 1024)
    #: The longest header line (``name: value``), in bytes: 431.
    max_header_line_bytes: int = Field(default=8192, ge=256, le=1024 * 1024)
    #: The largest request head (request line and all headers), in bytes: 431.
    max_header_bytes: int = Field(default=32 * 1024, ge=1024, le=4 * 1024 * 1024)
    #: The most header lines in a request: 431.
    max_header_count: int = Field(default=100, ge=8, le=10_000)
    #: The longest a whole request body may take to arrive, in seconds: 408 (25 MiB at ~85 KiB/s).
    body_deadline_seconds: float = Field(default=300.0, gt=0, le=3600)
    #: The slowest average body rate accepted, in bytes per second, judged once a body has been
    #: arriving for ``body_rate_grace_seconds``: 408.
    min_body_bytes_per_second: float = Field(default=1024.0, ge=0)
    body_rate_grace_seconds: float = Field(default=10.0, gt=0, le=600)
    #: After an answer sent while the client is still sending its body (401, 404, 413, 429, 408 …), the
    #: connection is closed; for at most this long the client's bytes are still read and dropped first,
    #: so that its TCP stack does not reset the connection before it has read the answer.
    lingering_close_seconds: float = Field(default=2.0, gt=0, le=30)
    #: An idle keep-alive connection is closed after this long, in seconds.
    keepalive_idle_seconds: float = Field(default=5.0, gt=0, le=300)
    #: Open connections in total; a new one beyond is answered 503 with Retry-After and closed.
    max_connections: int = Field(default=2048, ge=1)
    #: Open connections from one client address (trusted proxies exempt); beyond: 429, closed.
    max_connections_per_address: int = Field(default=256, ge=1)
    #: ``TRUSTED_PROXIES``: addresses or CIDR ranges of the proxies in front of the gateway (the TLS
    #: proxy), e.g. ``["10.0.0.5", "10.1.0.0/24"]``. Only from them is ``forwarded_header`` believed;
    #: rate limits and the address sent on to the services are then the real client's.
    trusted_proxies: list[str] = Field(default_factory=list)
    #: Which header the trusted proxies write: ``x-forwarded-for`` or ``forwarded`` (RFC 7239).
    forwarded_header: Literal["x-forwarded-for", "forwarded"] = "x-forwarded-for"
    #: Login attempts (``POST /auth/token``), token buckets per user name and per client address.
    login_attempts_per_user_per_minute: float = Field(default=10, gt=0)
    login_attempts_per_user_burst: int = Field(default=10, ge=1)
    login_attempts_per_address_per_minute: float = Field(default=60, gt=0)
    login_attempts_per_address_burst: int = Field(default=60, ge=1)
    max_body_bytes: int = Field(default=1 * 1024 * 1024, ge=1024)
    max_upload_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    #: Token buckets: sustained requests per second and burst, per verified identity and per client IP.
    rate_limit_identity_per_second: float = Field(default=50, gt=0)
    rate_limit_identity_burst: int = Field(default=100, ge=1)
    rate_limit_ip_per_second: float = Field(default=200, gt=0)
    rate_limit_ip_burst: int = Field(default=400, ge=1)
    #: How long the merged OpenAPI document is served before it is fetched again from the backends.
    openapi_cache_seconds: float = Field(default=300, ge=0)
    cors_origins: list[str] = Field(default_factory=list)
    #: ``METRICS_TOKEN``: when set, ``GET /metrics`` needs ``Authorization: Bearer <it>`` (Prometheus'
    #: ``authorization`` scrape setting). The gateway's port is public and the metrics name every route
    #: and its traffic, so production refuses to start without one.
    metrics_token: str | None = None

    @model_validator(mode="after")
    def _production_needs_a_real_issuer(self) -> GatewaySettings:
        if self.environment is Environment.production:
            if self.dev_identity_provider:
                raise ConfigurationError("DEV_IDENTITY_PROVIDER must be false in production")
            if not self.jwks_url or not self.jwks_url.startswith("https://"):
                raise ConfigurationError("production needs an https JWKS_URL of the external OIDC issuer")
            if not self.metrics_token or len(self.metrics_token) < 32:
                raise ConfigurationError("production needs a METRICS_TOKEN of 32+ characters for /metrics")
        if not self.jwt_algorithms or not set(self.jwt_algorithms) <= _ASYMMETRIC:
            raise ConfigurationError(f"JWT_ALGORITHMS must be asymmetric, some of {sorted(_ASYMMETRIC)}")
        if "*" in self.cors_origins:
            raise ConfigurationError("CORS_ORIGINS must list origins; '*' is refused since tokens are sent")
        return self

    @model_validator(mode="after")
    def _trusted_proxies_are_addresses(self) -> GatewaySettings:
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                message = f"TRUSTED_PROXIES: {proxy!r} is not an address or CIDR range"
                raise ConfigurationError(message) from None
        return self

    def edge_limits(self) -> EdgeLimits:
        return EdgeLimits(
            max_url_bytes=self.max_url_bytes,
            max_header_line_bytes=self.max_header_line_bytes,
            max_header_bytes=self.max_header_bytes,
            max_header_count=self.max_header_count,
            header_timeout=self.header_read_timeout_seconds,
            body_deadline=self.body_deadline_seconds,
            min_body_rate=self.min_body_bytes_per_second,
            body_rate_grace=self.body_rate_grace_seconds,
            lingering_close=self.lingering_close_seconds,
            keepalive_idle=self.keepalive_idle_seconds,
        )

    def backend_urls(self) -> dict[str, str]:
        return {
            "matter-catalog": self.catalog_url,
            "acceptance": self.acceptance_url,
            "material": self.material_url,
            "notification": self.notification_url,
            "hotline": self.hotline_url,
        }

    def timeout_for(self, service: str) -> float:
        return self.upstream_timeouts.get(service, self.upstream_timeout_seconds)
