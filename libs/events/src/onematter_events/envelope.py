"""The CloudEvents 1.0 envelope (JSON format) that every OneMatter event travels in."""

from __future__ import annotations

import json
import uuid
from typing import Any, Literal

from onematter_clock import system_now
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

__all__ = ["CloudEvent", "EventPayload", "MalformedEvent"]


class MalformedEvent(ValueError):
    """Bytes on a topic that are not a CloudEvent OneMatter understands (they go to the dead-letter topic)."""


class EventPayload(BaseModel):
    """Base of every event's ``data``: immutable, and tolerant of fields added by newer producers."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class CloudEvent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str
    type: str
    subject: str | None = None
    #: When it happened (RFC 3339 with offset). The unit of work stamps it from the service's clock.
    time: AwareDatetime = Field(default_factory=system_now)
    datacontenttype: Literal["application/json"] = "application/json"
    data: dict[str, Any]

    def to_bytes(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode()

    @classmethod
    def from_bytes(cls, raw: bytes | None) -> CloudEvent:
        if not raw:
            raise MalformedEvent("empty message")
        try:
            return cls.model_validate(json.loads(raw))
        except (ValueError, TypeError) as exc:
            raise MalformedEvent(str(exc)[:500]) from exc
