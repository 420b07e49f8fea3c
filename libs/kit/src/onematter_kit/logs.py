"""Structured JSON logs with the request's id and trace, and personal data masked.

Logs never carry tokens, ID numbers or phone numbers: :class:`JsonFormatter` masks them wherever they
appear — message, extra fields, exception traceback and stack — since a log line is read by more people
than the data it describes. :func:`configure_logging` routes every record through that one handler:
loggers that brought their own handlers (uvicorn's plain-text ``uvicorn``/``uvicorn.error``, which log
"Exception in ASGI application" with a traceback) lose them, and an exception nobody caught (the main
thread's or another thread's) is logged rather than printed raw to stderr (issue 19).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import time
from contextvars import ContextVar
from types import TracebackType
from typing import Any

__all__ = ["JsonFormatter", "configure_logging", "redact", "request_id_var", "traceparent_var"]

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
traceparent_var: ContextVar[str | None] = ContextVar("traceparent", default=None)

_SECRETS = [
    (re.compile(r"(?i)bearer\s+[A-Za-z0-9._~+/-]+=*"), "Bearer [redacted]"),
    (re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"), "[jwt redacted]"),
    (re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"), "[id-number redacted]"),
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), "[phone redacted]"),
]
_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def redact(text: str) -> str:
    """``text`` with bearer tokens, JWTs, resident ID numbers and mobile numbers masked."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "service": self._service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (rid := request_id_var.get()) is not None:
            entry["request_id"] = rid
        if (tp := traceparent_var.get()) is not None:
            entry["trace_id"] = tp.split("-")[1]
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD_ATTRS})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return redact(json.dumps(entry, ensure_ascii=False, default=str))


class _RedactingFormatter(logging.Formatter):
    """The plain-text format (``LOG_JSON=false``), masked like the JSON one, traceback included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(service: str, *, level: str = "INFO", json_logs: bool = True) -> None:
    """One handler on the root logger (stdout, JSON or plain, always redacted) that every record reaches.

    Handlers other loggers carry (uvicorn installs its own before it loads the app) are removed and those
    loggers propagate again; uncaught exceptions of the main thread and of other threads are logged as
    ``error`` records of the ``onematter.uncaught`` logger.
    """
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        JsonFormatter(service) if json_logs else _RedactingFormatter("%(levelname)s %(name)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in list(logging.root.manager.loggerDict):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    for noisy in ("aiokafka", "kafka", "uvicorn.access", "httpx", "httpcore", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread


def _log_uncaught(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    logging.getLogger("onematter.uncaught").error("uncaught exception", exc_info=(exc_type, exc, tb))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):  # as threading's own hook
        return
    _log_uncaught(args.exc_type, args.exc_value, args.exc_traceback)
