"""Gateway settings: the backends it routes to and the identity it trusts."""

from __future__ import annotations

from pydantic import Field, model_validator

from onematter_kit.errors import ConfigurationError
from onematter_kit.settings import Environment, ServiceSettings

__all__ = ["GatewaySettings"]


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"
    catalog_url: str = "http://127.0.0.1:8101"
    acceptance_url: str = "http://127.0.0.1:8102"
    material_url: str = "http://127.0.0.1:8103"
    notification_url: str = "http://127.0.0.1:8104"
    #: The issuer whose tokens are accepted; the development identity provider uses this one.
    jwt_issuer: str = "https://idp.onematter.local/dev"
    jwt_audience: str = "onematter"
    #: Production: the external OIDC issuer's JWKS URL (configured, never taken from a token).
    jwks_url: str | None = None
    access_token_ttl_seconds: int = Field(default=3600, ge=60, le=86400)
    dev_identity_provider: bool = True
    upstream_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    max_body_bytes: int = Field(default=1 * 1024 * 1024, ge=1024)
    max_upload_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    cors_origins: list[str] = []

    @model_validator(mode="after")
    def _production_needs_a_real_issuer(self) -> GatewaySettings:
        if self.environment is Environment.production:
            if self.dev_identity_provider:
                raise ConfigurationError("DEV_IDENTITY_PROVIDER must be false in production")
            if not self.jwks_url:
                raise ConfigurationError("production needs JWKS_URL of the external OIDC issuer")
        if "*" in self.cors_origins:
            raise ConfigurationError("CORS_ORIGINS must list origins; '*' is refused since tokens are sent")
        return self

    def backend_urls(self) -> dict[str, str]:
        return {"matter-catalog": self.catalog_url, "acceptance": self.acceptance_url,
                "material": self.material_url, "notification": self.notification_url}
