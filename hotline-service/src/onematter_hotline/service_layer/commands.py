"""Commands of the hotline (imperative, frozen). Each is one step of the loop; ids are request ids."""

from __future__ import annotations

from dataclasses import dataclass

from onematter_hotline.domain.model import Caller, Channel, RequestType

__all__ = [
    "AddKnowledge",
    "AnswerOnSpot",
    "AnswerRequest",
    "CallBack",
    "DispatchRequest",
    "MergeRequest",
    "ObjectToRequest",
    "PutDispatchRule",
    "TakeRequest",
]


@dataclass(frozen=True, kw_only=True)
class TakeRequest:
    type: RequestType
    channel: Channel
    caller: Caller
    region: str
    category: str
    text: str
    acceptance_number: str | None = None


@dataclass(frozen=True, kw_only=True)
class AnswerOnSpot:
    request_id: str
    answer: str


@dataclass(frozen=True, kw_only=True)
class DispatchRequest:
    """``office`` None: take the dispatch catalogue's suggestion."""

    request_id: str
    office: str | None = None
    #: A dispatcher (派单员) reviewing an objection; operators dispatch new requests only.
    reviewer: bool = False


@dataclass(frozen=True, kw_only=True)
class ObjectToRequest:
    request_id: str
    office: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class AnswerRequest:
    request_id: str
    office: str
    answer: str


@dataclass(frozen=True, kw_only=True)
class CallBack:
    request_id: str
    level: int


@dataclass(frozen=True, kw_only=True)
class MergeRequest:
    request_id: str
    into: str


@dataclass(frozen=True, kw_only=True)
class AddKnowledge:
    title: str
    body: str


@dataclass(frozen=True, kw_only=True)
class PutDispatchRule:
    category: str
    region: str
    office: str
