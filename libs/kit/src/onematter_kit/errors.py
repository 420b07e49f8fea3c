"""The one error hierarchy of OneMatter.

Every error a service raises on purpose is a :class:`ProblemError`; the problem handlers turn it into an
``application/problem+json`` response (RFC 9457). ``type`` is a stable URI that clients may switch on;
``title`` is the same for every occurrence of the type; ``detail`` explains this occurrence.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ConfigurationError",
    "ConflictError",
    "ForbiddenError",
    "NotFoundError",
    "OneMatterError",
    "PayloadTooLargeError",
    "PreconditionRequiredError",
    "ProblemError",
    "ServiceUnavailableError",
    "UnauthorizedError",
    "UnsupportedMediaTypeError",
    "ValidationProblem",
]

PROBLEM_BASE = "https://onematter.gov.cn/problems/"


class OneMatterError(Exception):
    """Root of every error OneMatter raises on purpose."""


class ConfigurationError(OneMatterError):
    """Settings that must not be used (a default secret in production, an unknown database URL)."""


class ProblemError(OneMatterError):
    """An error that becomes a problem+json response."""

    status: int = 500
    slug: str = "internal"
    title: str = "Internal error"

    def __init__(self, detail: str | None = None, *, extensions: dict[str, Any] | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extensions = extensions or {}

    @property
    def type(self) -> str:
        return PROBLEM_BASE + self.slug


class ValidationProblem(ProblemError):
    """Input that does not meet the contract; ``errors`` names each offending field."""

    status, slug, title = 422, "validation", "Request validation failed"

    def __init__(self, detail: str | None = None, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail, extensions={"errors": errors or []})


class UnauthorizedError(ProblemError):
    status, slug, title = 401, "unauthorized", "Authentication required"


class ForbiddenError(ProblemError):
    status, slug, title = 403, "forbidden", "Not allowed"


class NotFoundError(ProblemError):
    status, slug, title = 404, "not-found", "Not found"


class ConflictError(ProblemError):
    status, slug, title = 409, "conflict", "Conflict with the current state"


class PreconditionRequiredError(ProblemError):
    status, slug, title = 428, "precondition-required", "Precondition required"


class PayloadTooLargeError(ProblemError):
    status, slug, title = 413, "payload-too-large", "Payload too large"


class UnsupportedMediaTypeError(ProblemError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class ServiceUnavailableError(ProblemError):
    status, slug, title = 503, "service-unavailable", "Service temporarily unavailable"
