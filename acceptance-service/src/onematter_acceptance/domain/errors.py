"""The rules' refusals, raised by the domain and answered by the entrypoints as problem+json.

The domain imports nothing from the service kit, so it has its own small hierarchy; the composition root
maps :class:`NotPossibleNow` to ``409 Conflict`` (``…/problems/conflict``).
"""

from __future__ import annotations

__all__ = ["DomainError", "NotPossibleNow"]


class DomainError(Exception):
    """A rule refused the action; ``str(error)`` says why, in words the caller can act on."""


class NotPossibleNow(DomainError):
    """The action does not fit the current state: a task already decided, an application already ended."""
