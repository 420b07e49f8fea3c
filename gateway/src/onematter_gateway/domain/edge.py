"""The limits of the one public port (the edge), as plain values, and the rules that apply them.

Every number here is a setting of :class:`onematter_gateway.config.GatewaySettings` (named in brackets);
the HTTP server (:mod:`onematter_gateway.entrypoints.protocol`) measures and these rules decide. What a
client gets when it crosses one, and why the default is what it is, is in ``gateway/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["BodyVerdict", "EdgeLimits", "HeadVerdict", "body_verdict", "head_verdict"]


@dataclass(frozen=True)
class EdgeLimits:
    """Sizes in bytes, times in seconds, rates in bytes per second."""

    max_url_bytes: int = 8192  # [max_url_bytes] request target: path and query
    max_header_line_bytes: int = 8192  # [max_header_line_bytes] one "name: value" line
    max_header_bytes: int = 32768  # [max_header_bytes] request line and all headers together
    max_header_count: int = 100  # [max_header_count]
    header_timeout: float = 10.0  # [header_read_timeout_seconds] the whole head must arrive within it
    body_deadline: float = 300.0  # [body_deadline_seconds] the whole body must arrive within it
    min_body_rate: float = 1024.0  # [min_body_bytes_per_second] averaged over the body so far...
    body_rate_grace: float = 10.0  # [body_rate_grace_seconds] ...once it has been arriving this long
    lingering_close: float = 2.0  # [lingering_close_seconds] see :class:`~...protocol.GatewayHttpProtocol`
    keepalive_idle: float = 5.0  # [keepalive_idle_seconds] an idle keep-alive connection is closed after


class HeadVerdict(Enum):
    """Why a request head is refused; the value is the HTTP status it gets (the connection is closed)."""

    url_too_long = 414
    header_line_too_long = 431
    head_too_large = 431
    too_many_headers = 431
    version_not_supported = 505
    bad_host = 400
    simple_request = 400  # HTTP/0.9: a request line without a version


class BodyVerdict(Enum):
    """Why a request body is cut off with 408 (RFC 9110 §15.5.9) and its connection closed."""

    deadline = "deadline"
    too_slow = "too-slow"


def head_verdict(*, version: str, host_lines: int) -> HeadVerdict | None:
    """The refusal of a complete head, or None. Only HTTP/1.0 and 1.1 are spoken (RFC 9112 §2.3); an
    HTTP/1.1 request has exactly one ``Host`` line and no request more than one (RFC 9112 §3.2: 400)."""
    if version == "0.9":
        return HeadVerdict.simple_request
    if version not in ("1.0", "1.1"):
        return HeadVerdict.version_not_supported
    if host_lines > 1 or (version == "1.1" and host_lines != 1):
        return HeadVerdict.bad_host
    return None


def body_verdict(
    limits: EdgeLimits, *, received: int, elapsed: float, reading_paused: bool
) -> BodyVerdict | None:
    """Whether a body ``elapsed`` seconds in, with ``received`` bytes so far, is to be cut off.

    The rate is not judged while the gateway itself stopped reading (its buffer is full because the
    backend reads slowly): then the slowness is ours, not the client's. The deadline always holds.
    """
    if elapsed > limits.body_deadline:
        return BodyVerdict.deadline
    if not reading_paused and elapsed > limits.body_rate_grace and received < limits.min_body_rate * elapsed:
        return BodyVerdict.too_slow
    return None
