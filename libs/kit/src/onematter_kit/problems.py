"""RFC 9457 problem+json responses, and the handlers that make every error one.

No stack trace, exception text of an unexpected error, or request body ever leaves a service: unexpected
errors are logged with the request id and answered with a generic 500 problem.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from onematter_kit.errors import PROBLEM_BASE, ProblemError

__all__ = ["PROBLEM_MEDIA_TYPE", "ProblemDetails", "install_problem_handlers", "problem_response"]

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("onematter.problems")

_HTTP_SLUGS = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Not allowed"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "Conflict with the current state"),
    413: ("payload-too-large", "Payload too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    416: ("range-not-satisfiable", "Range not satisfiable"),
    422: ("validation", "Request validation failed"),
    429: ("rate-limited", "Too many requests"),
    503: ("service-unavailable", "Service temporarily unavailable"),
    504: ("gateway-timeout", "Upstream timed out"),
}


class ProblemDetails(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


def problem_response(
    status: int,
    *,
    detail: str | None = None,
    slug: str | None = None,
    title: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> ProblemDetails:
    default_slug, default_title = _HTTP_SLUGS.get(status, ("error", "Error"))
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (slug or default_slug),
        "title": title or default_title,
        "status": status,
        "detail": detail or title or default_title,
    }
    if instance:
        body["instance"] = instance
    body.update(extensions)
    return ProblemDetails(body, status_code=status, headers=headers)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ())]
        # "body" / "query" prefixes say where, the rest is the field path a front-end can point at.
        where = location[0] if location else "body"
        field = ".".join(location[1:]) if len(location) > 1 else where
        errors.append(
            {"field": field, "in": where, "message": error.get("msg", ""), "type": error.get("type")}
        )
    return errors


async def _on_problem(request: Request, exc: Exception) -> ProblemDetails:
    assert isinstance(exc, ProblemError)
    return problem_response(
        exc.status,
        detail=exc.detail,
        slug=exc.slug,
        title=exc.title,
        instance=request.url.path,
        headers=getattr(exc, "headers", None),
        **exc.extensions,
    )


async def _on_validation(request: Request, exc: Exception) -> ProblemDetails:
    assert isinstance(exc, RequestValidationError)
    errors = _field_errors(exc)
    fields = ", ".join(sorted({e["field"] for e in errors}))
    return problem_response(422, detail=f"Invalid fields: {fields}", instance=request.url.path, errors=errors)


async def _on_http(request: Request, exc: Exception) -> ProblemDetails:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(
        exc.status_code, detail=detail, instance=request.url.path, headers=getattr(exc, "headers", None)
    )


async def _on_infrastructure(request: Request, exc: Exception) -> ProblemDetails:
    """Database and connection errors, answered inside the app: unlike the catch-all handler (which
    Starlette runs in its outermost middleware and then re-raises, so the server logs a traceback and
    drops the connection), this response passes the middlewares like any other (request id, access log)."""
    return await _on_unexpected(request, exc)


async def _on_unexpected(request: Request, exc: Exception) -> ProblemDetails:
    if _is_database_outage(exc):
        log.warning("database unavailable", extra={"path": request.url.path, "error": type(exc).__name__})
        return problem_response(
            503,
            detail="The service's database is unavailable; retry shortly.",
            instance=request.url.path,
            headers={"Retry-After": "5"},
        )
    log.exception("unexpected error", extra={"path": request.url.path})
    return problem_response(
        500,
        slug="internal",
        title="Internal error",
        detail="An unexpected error occurred; it has been logged.",
        instance=request.url.path,
    )


#: SQLSTATEs of a database that is unreachable rather than of a bad statement: class 08 (connection
#: exception), 57P01-57P03 (admin/crash shutdown, "cannot connect now" while starting or stopping) and
#: 53300 (too many connections).
_OUTAGE_SQLSTATES = ("08", "57P", "53300")


def _is_database_outage(exc: BaseException) -> bool:
    """True for errors that mean "the database is not there right now" (→ 503 + Retry-After).

    The asyncpg dialect wraps some of them in a bare ``DBAPIError`` (e.g. ``CannotConnectNowError``
    while PostgreSQL shuts down or starts up), so the cause chain and its SQLSTATE are looked at too.
    """
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

    if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError):
        return True
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, (OperationalError, InterfaceError, ConnectionError, TimeoutError)):
            return True
        if isinstance(cause, DBAPIError) and cause.connection_invalidated:
            return True
        sqlstate = getattr(cause, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(_OUTAGE_SQLSTATES):
            return True
        cause = cause.__cause__ or getattr(cause, "orig", None) or cause.__context__
    return False


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error of ``app`` a problem+json response."""
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    from sqlalchemy.exc import DBAPIError

    for infrastructure in (DBAPIError, OSError):  # OSError: ConnectionRefusedError, TimeoutError, ...
        app.add_exception_handler(infrastructure, _on_infrastructure)
    app.add_exception_handler(Exception, _on_unexpected)
