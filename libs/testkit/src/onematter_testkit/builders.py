"""Random identifiers, so tests never collide on a shared broker or database."""

from __future__ import annotations

import secrets

__all__ = ["random_code", "random_id"]


def random_id(prefix: str = "t") -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def random_code(prefix: str = "t") -> str:
    """A lowercase code usable as a department or matter code."""
    return f"{prefix}{secrets.token_hex(4)}"
