"""Conditional requests: does ``If-None-Match`` match the current entity tag (RFC 9110 §13.1.2)?"""

from __future__ import annotations

__all__ = ["none_match"]


def none_match(if_none_match: str | None, etag: str) -> bool:
    """True when the header names ``etag`` or is ``*``, so a GET or HEAD is answered 304.

    ``If-None-Match`` uses the weak comparison (RFC 9110 §8.8.3.2): ``W/"x"`` and ``"x"`` match each other.
    The header is a comma-separated list; entity tags cannot contain a comma or a quote inside their
    quotes, so splitting on commas is exact. A malformed member matches nothing.
    """
    if if_none_match is None:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = _opaque(etag)
    return wanted is not None and any(_opaque(member) == wanted for member in if_none_match.split(","))


def _opaque(tag: str) -> str | None:
    tag = tag.strip()
    tag = tag.removeprefix("W/")
    if len(tag) < 2 or tag[0] != '"' or tag[-1] != '"' or '"' in tag[1:-1]:
        return None
    return tag
