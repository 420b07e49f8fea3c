"""The hotline's HTTP contract (``...Create`` in, ``...Public`` out), apart from its storage."""

from __future__ import annotations

from datetime import date

from onematter_kit.paging import Page
from pydantic import BaseModel, ConfigDict, Field

from onematter_hotline.domain.model import Caller, Channel, RequestType, Status

__all__ = [
    "AnswerBody",
    "CallbackBody",
    "DispatchBody",
    "DispatchRulePublic",
    "KnowledgeCreate",
    "KnowledgePublic",
    "MergeBody",
    "MergeProposal",
    "ObjectionBody",
    "RequestCreate",
    "RequestPage",
    "RequestPublic",
    "RequestTaken",
]

_REGION = r"^\d{6}$"
_CODE = r"^[a-z][a-z0-9-]{1,31}$"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RequestCreate(_Body):
    """A request (诉求). ``caller``: omitted or empty for an anonymous consultation, suggestion or report;
    portal requests are the logged-in person's (the caller given here is ignored)."""

    type: RequestType
    region: str = Field(pattern=_REGION, description="行政区划代码, six digits")
    category: str = Field(pattern=_CODE, description="request category of the dispatch catalogue")
    text: str = Field(min_length=1, max_length=4000)
    caller: Caller = Caller()
    acceptance_number: str | None = Field(default=None, max_length=64)


class RequestPublic(BaseModel):
    """A request as the reader may see it: officers see the caller masked (张*, 138****5678)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    type: RequestType
    channel: Channel
    status: Status
    caller: Caller
    region: str
    category: str
    text: str
    acceptance_number: str | None
    received_on: date
    office: str | None
    due_on: date | None
    round: int
    escalated_round: int
    reopenings: int
    objection: str | None
    answer: str | None
    answered_on_first_contact: bool
    satisfaction: int | None
    merged_into: str | None
    merged: list[str]


class MergeProposal(BaseModel):
    request_id: str
    similarity: float = Field(description="Jaccard similarity of the segmented content words, 0 … 1")


class RequestTaken(RequestPublic):
    merge_proposals: list[MergeProposal]


RequestPage = Page[RequestPublic]


class AnswerBody(_Body):
    answer: str = Field(min_length=1, max_length=4000)


class DispatchBody(_Body):
    office: str | None = Field(default=None, pattern=_CODE, description="omitted: the catalogue's suggestion")


class ObjectionBody(_Body):
    reason: str = Field(min_length=1, max_length=1000)


class CallbackBody(_Body):
    level: int = Field(ge=1, le=5, description="好差评: 1 非常不满意 … 5 非常满意")


class MergeBody(_Body):
    into: str = Field(min_length=1, max_length=36)


class KnowledgeCreate(_Body):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=8000)


class KnowledgePublic(BaseModel):
    id: str
    source: str
    title: str
    body: str
    score: float | None = None


class DispatchRulePublic(_Body):
    category: str = Field(pattern=_CODE)
    region: str = Field(pattern=_REGION)
    office: str = Field(pattern=_CODE)
