"""Gateway settings: the backends it routes to, the identity it trusts and the limits it enforces."""

from __future__ import annotations

from typing import ClassVar

from onematter_kit.errors import ConfigurationError
from onematter_kit.settings import Environment, ServiceSettings
from pydantic import Field, model_validator

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
    #: The longest a client may take to send a request's head (slowloris); it then gets 408 and is cut off.
    header_read_timeout_seconds: float = Field(default=10.0, gt=0, le=600)
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

    def backend_urls(self) -> dict[str, str]:
        return {
            "matter-catalog": self.catalog_url,
            "acceptance": self.acceptance_url,
            "material": self.material_url,
            "notification": self.notification_url,
        }

    def timeout_for(self, service: str) -> float:
        return self.upstream_timeouts.get(service, self.upstream_timeout_seconds)
