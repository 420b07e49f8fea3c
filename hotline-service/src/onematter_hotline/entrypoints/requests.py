"""Routes of the loop: intake, answer on the spot, dispatch, objection, answer, callback, merge, reads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from onematter_kit.errors import NotFoundError
from onematter_kit.identity import Principal, Role
from onematter_kit.internal_auth import CurrentPrincipal, require_roles
from onematter_kit.paging import Limit, Offset

from onematter_hotline.domain.model import Caller, Channel, HotlineRequest, Status
from onematter_hotline.domain.visibility import view_for
from onematter_hotline.entrypoints import schemas as s
from onematter_hotline.entrypoints.deps import Collaborators, Staff, UowDep, office_of
from onematter_hotline.service_layer import commands as c
from onematter_hotline.service_layer import intake, loop, queries

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/hotline/requests", tags=["requests"])
_OPERATOR = require_roles(Role.hotline_operator)
_SEATS = require_roles(Role.hotline_operator, Role.hotline_dispatcher)


def _public(request: HotlineRequest, principal: Principal) -> s.RequestPublic:
    staff = any(principal.has(role) for role in Staff)
    office = principal.department if principal.has(Role.officer) else None
    seen = view_for(request, staff=staff, office=office, subject=principal.subject)
    if seen is None:
        raise NotFoundError("No such hotline request.")
    return s.RequestPublic.model_validate(seen.model_dump())


def _intake(body: s.RequestCreate, principal: Principal) -> tuple[Channel, Caller]:
    """The channel and caller: the portal's caller is the logged-in person, never the body's."""
    if principal.has(Role.hotline_operator):
        return Channel.call, body.caller
    if principal.has(Role.officer):
        return Channel.department, body.caller
    return Channel.portal, Caller(subject=principal.subject)


@router.post("", status_code=201, response_model=s.RequestTaken, summary="Take a request (受理)")
async def take(
    body: s.RequestCreate, principal: CurrentPrincipal, uow: UowDep, tools: Collaborators
) -> s.RequestTaken:
    """201 with the request and the open requests it may repeat (并单 proposals); 422 for an anonymous
    complaint or help request."""
    channel, caller = _intake(body, principal)
    cmd = c.TakeRequest(
        type=body.type,
        channel=channel,
        caller=caller,
        region=body.region,
        category=body.category,
        text=body.text,
        acceptance_number=body.acceptance_number,
    )
    taken = await intake.take_request(cmd, uow, segmenter=tools["segmenter"], threshold=tools["threshold"])
    proposals = [s.MergeProposal(request_id=p.id, similarity=p.score) for p in taken.merge_proposals]
    return s.RequestTaken(**_public(taken.request, principal).model_dump(), merge_proposals=proposals)


@router.get("", response_model=s.RequestPage, summary="Requests, newest first (an officer: their office's)")
async def list_requests(
    principal: CurrentPrincipal,
    uow: UowDep,
    status: Annotated[Status | None, Query()] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> s.RequestPage:
    office = None if any(principal.has(r) for r in Staff) else office_of(principal)
    items, total = await queries.page_of_requests(
        uow, office=office, status=status, limit=limit, offset=offset
    )
    return s.RequestPage(
        items=[_public(i, principal) for i in items], total=total, limit=limit, offset=offset
    )


@router.get("/{request_id}", response_model=s.RequestPublic, summary="One request")
async def read(request_id: str, principal: CurrentPrincipal, uow: UowDep) -> s.RequestPublic:
    request = await queries.one_request(request_id, uow)
    if request is None:
        raise NotFoundError("No such hotline request.")
    return _public(request, principal)


@router.post("/{request_id}/answer-on-spot", response_model=s.RequestPublic, dependencies=[_OPERATOR])
async def answer_on_spot(
    request_id: str, body: s.AnswerBody, principal: CurrentPrincipal, uow: UowDep
) -> s.RequestPublic:
    """一次办结 — answer a consultation and close it on the first contact; 409 for other requests."""
    cmd = c.AnswerOnSpot(request_id=request_id, answer=body.answer)
    return _public(await intake.answer_on_spot(cmd, uow), principal)


@router.post("/{request_id}/dispatch", response_model=s.RequestPublic, dependencies=[_SEATS])
async def dispatch(
    request_id: str, body: s.DispatchBody, principal: CurrentPrincipal, uow: UowDep, tools: Collaborators
) -> s.RequestPublic:
    """派单; without ``office`` the dispatch catalogue's suggestion. An objected request (退单) is
    re-dispatched by a dispatcher only (409 for an operator)."""
    reviewer = principal.has(Role.hotline_dispatcher)
    cmd = c.DispatchRequest(request_id=request_id, office=body.office, reviewer=reviewer)
    return _public(await loop.dispatch(cmd, uow, calendar=tools["calendar"]), principal)


@router.post("/{request_id}/objection", response_model=s.RequestPublic, summary="退单 by the office")
async def objection(
    request_id: str, body: s.ObjectionBody, principal: CurrentPrincipal, uow: UowDep
) -> s.RequestPublic:
    cmd = c.ObjectToRequest(request_id=request_id, office=office_of(principal), reason=body.reason)
    return _public(await loop.object_to(cmd, uow), principal)


@router.post("/{request_id}/answer", response_model=s.RequestPublic, summary="答复 by the office")
async def answer(
    request_id: str, body: s.AnswerBody, principal: CurrentPrincipal, uow: UowDep
) -> s.RequestPublic:
    cmd = c.AnswerRequest(request_id=request_id, office=office_of(principal), answer=body.answer)
    return _public(await loop.answer_request(cmd, uow), principal)


@router.post("/{request_id}/callback", response_model=s.RequestPublic, dependencies=[_OPERATOR])
async def callback(
    request_id: str, body: s.CallbackBody, principal: CurrentPrincipal, uow: UowDep, tools: Collaborators
) -> s.RequestPublic:
    """回访 — 好差评 level 1 … 5; a dissatisfied (1, 2) caller's request goes back to its office once."""
    cmd = c.CallBack(request_id=request_id, level=body.level)
    return _public(await loop.call_back(cmd, uow, calendar=tools["calendar"]), principal)


@router.post("/{request_id}/merge", response_model=s.RequestPublic, dependencies=[_SEATS])
async def merge(
    request_id: str, body: s.MergeBody, principal: CurrentPrincipal, uow: UowDep
) -> s.RequestPublic:
    """并单 — this request follows ``into``; answers the request merged into, with every merged caller."""
    cmd = c.MergeRequest(request_id=request_id, into=body.into)
    return _public(await intake.merge(cmd, uow), principal)
