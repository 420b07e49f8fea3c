"""Settings of the notification service."""

from __future__ import annotations

from onematter_kit.errors import ConfigurationError
from onematter_kit.settings import ServiceSettings
from pydantic import Field, model_validator

from onematter_notification.domain.loopback import LoopbackReceiver, parse_loopback_receivers

__all__ = ["NotificationSettings"]


class NotificationSettings(ServiceSettings):
    service_name: str = "notification"
    database_url: str = "sqlite+aiosqlite:///./data/notification.db"

    #: Approvals of one application that arrive within this many seconds of each other become one digest.
    digest_window_seconds: float = Field(default=10.0, gt=0)
    #: How often the digest and delivery workers look for due work (they are also woken in-process).
    worker_poll_seconds: float = Field(default=1.0, gt=0)
    #: SSE: a comment line at least this often keeps proxies from closing an idle stream (at most 60 s:
    #: common proxies close a silent connection after 60 s). Streams never poll the database: they are
    #: woken by commits in this process and, on PostgreSQL, by LISTEN/NOTIFY from other replicas.
    sse_heartbeat_seconds: float = Field(default=15.0, gt=0, le=60)
    #: SSE: open streams per user in this process; one more is 429 with Retry-After.
    sse_max_streams_per_user: int = Field(default=5, ge=1)
    #: SSE: open streams in this process, all users together; one more is 429 with Retry-After.
    sse_max_streams: int = Field(default=1000, ge=1)
    #: SSE: the Retry-After (seconds) of a stream refused by those limits.
    sse_retry_after_seconds: int = Field(default=10, ge=1)

    #: The matter catalog, asked for names (matters, items, materials, departments) not received yet.
    catalog_url: str = "http://127.0.0.1:8101"
    #: Email over SMTP; an empty host disables the email channel.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = "OneMatter <no-reply@onematter.gov.cn>"
    smtp_timeout_seconds: float = 10.0
    #: SMS through an HTTP provider; an empty URL means no SMS provider is configured (the channel is unused).
    sms_provider_url: str = ""

    #: Operators may allow callback URLs on private networks (tests use a receiver on 127.0.0.1).
    webhook_allow_private_networks: bool = False
    #: Development only: loopback webhook receivers let through the SSRF guard, as ``host:port`` entries
    #: separated by commas, e.g. ``127.0.0.1:9000,[::1]:9001`` (docs/development.md). Production refuses it.
    webhook_allow_loopback: str = ""
    #: Exponential backoff with full jitter: attempt n waits uniform(0, min(cap, base * 2**n)).
    delivery_backoff_base_seconds: float = Field(default=2.0, gt=0)
    delivery_backoff_cap_seconds: float = Field(default=3600.0, gt=0)
    #: A delivery is retried at least this long after its first attempt before it is marked failed.
    delivery_retry_horizon_seconds: float = Field(default=24 * 3600.0, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    #: A claimed delivery whose worker died is attempted again after this lease.
    delivery_lease_seconds: float = Field(default=60.0, gt=0)

    @model_validator(mode="after")
    def _loopback_receivers_only_in_development(self) -> NotificationSettings:
        try:
            receivers = parse_loopback_receivers(self.webhook_allow_loopback)
        except ValueError as exc:
            raise ConfigurationError(f"WEBHOOK_ALLOW_LOOPBACK: {exc}") from None
        if receivers and not self.is_development:
            raise ConfigurationError(
                "WEBHOOK_ALLOW_LOOPBACK is a development setting; production refuses loopback webhook "
                "receivers (unset it, or give the receiver a routable address)"
            )
        return self

    @property
    def webhook_loopback_receivers(self) -> frozenset[LoopbackReceiver]:
        """The named loopback receivers (checked at start-up by the validator above)."""
        return parse_loopback_receivers(self.webhook_allow_loopback)
