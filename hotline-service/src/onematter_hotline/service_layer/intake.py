"""受理, 一次办结 and 并单: taking a request, answering a consultation at once, merging repeated requests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from onematter_events import CloudEvent, new_event
from onematter_events import hotline as hotline_events
from onematter_kit.errors import ValidationProblem

from onematter_hotline.adapters.segmenter import Segmenter
from onematter_hotline.domain.model import HotlineRequest, RequestRuleBroken
from onematter_hotline.domain.similarity import Candidate, content_words, merge_candidates
from onematter_hotline.service_layer.commands import AnswerOnSpot, MergeRequest, TakeRequest
from onematter_hotline.service_layer.errors import load, rules_as_conflicts
from onematter_hotline.service_layer.unit_of_work import HotlineUnitOfWork

__all__ = ["Taken", "answer_on_spot", "answered_event", "merge", "take_request"]


@dataclass(frozen=True, slots=True)
class Taken:
    request: HotlineRequest
    #: Open requests this one may repeat (并单 proposal), most similar first.
    merge_proposals: list[Candidate]


async def take_request(
    cmd: TakeRequest, uow: HotlineUnitOfWork, *, segmenter: Segmenter, threshold: float
) -> Taken:
    """受理 — store the request and propose open requests it repeats; 422 for an anonymous complaint."""
    async with uow:
        request = HotlineRequest(
            id=str(uuid.uuid4()),
            received_on=uow.clock.today(),
            **{k: getattr(cmd, k) for k in ("type", "channel", "caller", "region", "category", "text")},
            acceptance_number=cmd.acceptance_number,
        )
        try:
            request.check_caller()
        except RequestRuleBroken as exc:
            raise ValidationProblem(str(exc), errors=[{"field": "caller", "message": str(exc)}]) from exc
        words = content_words(segmenter.words(cmd.text))
        similar = await uow.requests.open_similar(
            category=cmd.category, region=cmd.region, exclude=request.id
        )
        await uow.requests.add(request, words=words, at=uow.clock.now())
        await uow.commit()
    return Taken(request, merge_candidates(words, similar, threshold=threshold))


def answered_event(request: HotlineRequest) -> CloudEvent:
    """The ``hotline.request-answered`` event of ``request`` for every merged caller."""
    payload = hotline_events.RequestAnswered(
        request_id=request.id,
        request_type=request.type.value,
        answer=request.answer or "",
        recipients=request.recipients(),
        office=request.office,
    )
    return new_event(hotline_events.REQUEST_ANSWERED, payload)


async def answer_on_spot(cmd: AnswerOnSpot, uow: HotlineUnitOfWork) -> HotlineRequest:
    """一次办结 — the operator answers a consultation and closes it on the first contact."""
    async with uow:
        request = await load(uow, cmd.request_id)
        with rules_as_conflicts():
            request.answer_on_spot(cmd.answer)
        await uow.requests.save(request)
        uow.emit(answered_event(request))
        await uow.commit()
    return request


async def merge(cmd: MergeRequest, uow: HotlineUnitOfWork) -> HotlineRequest:
    """并单 — the request follows ``cmd.into``; its caller gets that request's answer."""
    async with uow:
        request = await load(uow, cmd.request_id)
        primary = await load(uow, cmd.into)
        with rules_as_conflicts():
            request.merge_into(primary)
        await uow.requests.save(request)
        await uow.requests.save(primary)
        await uow.commit()
    return primary
