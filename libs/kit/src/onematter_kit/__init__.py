"""Plumbing every OneMatter service shares: settings, database, problems, identity, outbox, consumer,
observability and the service runtime. Services import only this and ``onematter_events``."""

from onematter_kit.consumer import EventHandler, IdempotentConsumer, PoisonMessage
from onematter_kit.database import create_engine, create_session_factory, is_postgres
from onematter_kit.errors import (
    ConfigurationError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    OneMatterError,
    PayloadTooLargeError,
    PreconditionRequiredError,
    ProblemError,
    ServiceUnavailableError,
    UnauthorizedError,
    UnsupportedMediaTypeError,
    ValidationProblem,
)
from onematter_kit.identity import (
    INTERNAL_HEADER,
    InternalTokenSigner,
    InternalTokenVerifier,
    Principal,
    Role,
)
from onematter_kit.internal_auth import CurrentPrincipal, require_roles
from onematter_kit.problems import install_problem_handlers, problem_response
from onematter_kit.runtime import ConsumerSpec, ServiceRuntime, create_service_app
from onematter_kit.settings import Environment, ServiceSettings
from onematter_kit.tables import OutboxMessage, ProcessedEvent, utcnow
from onematter_kit.unit_of_work import AbstractUnitOfWork, ConstraintViolation, SqlUnitOfWork

__all__ = [
    "INTERNAL_HEADER",
    "AbstractUnitOfWork",
    "ConfigurationError",
    "ConflictError",
    "ConstraintViolation",
    "ConsumerSpec",
    "CurrentPrincipal",
    "Environment",
    "EventHandler",
    "ForbiddenError",
    "IdempotentConsumer",
    "InternalTokenSigner",
    "InternalTokenVerifier",
    "NotFoundError",
    "OneMatterError",
    "OutboxMessage",
    "PayloadTooLargeError",
    "PoisonMessage",
    "PreconditionRequiredError",
    "Principal",
    "ProblemError",
    "ProcessedEvent",
    "Role",
    "ServiceRuntime",
    "ServiceSettings",
    "ServiceUnavailableError",
    "SqlUnitOfWork",
    "UnauthorizedError",
    "UnsupportedMediaTypeError",
    "ValidationProblem",
    "create_engine",
    "create_service_app",
    "create_session_factory",
    "install_problem_handlers",
    "is_postgres",
    "problem_response",
    "require_roles",
    "utcnow",
]
