"""A message planned from an event, before it is rendered and stored (see :mod:`.planner`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Draft"]


@dataclass(frozen=True)
class Draft:
    """A message to render and store: its recipient, template kind and the template's values."""

    recipient: str
    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    application_id: str | None = None
