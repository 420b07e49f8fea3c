"""派单, 退单, 答复 and 回访: the office's part of the loop and the callback that closes or reopens it."""

from __future__ import annotations

from onematter_events import hotline as hotline_events
from onematter_events import new_event
from onematter_kit.errors import ConflictError

from onematter_hotline.domain.deadlines import answer_working_days
from onematter_hotline.domain.dispatch import suggest_office
from onematter_hotline.domain.model import HotlineRequest
from onematter_hotline.service_layer.calendar import WorkingDays
from onematter_hotline.service_layer.commands import AnswerRequest, CallBack, DispatchRequest, ObjectToRequest
from onematter_hotline.service_layer.errors import load, rules_as_conflicts
from onematter_hotline.service_layer.intake import answered_event
from onematter_hotline.service_layer.unit_of_work import HotlineUnitOfWork

__all__ = ["answer_request", "call_back", "dispatch", "object_to"]


async def _send(
    request: HotlineRequest, office: str, uow: HotlineUnitOfWork, calendar: WorkingDays, *, reviewer: bool
) -> None:
    """Dispatch to ``office``, due ``answer_working_days`` working days after today (China), and emit."""
    due_on = calendar.add_working_days(uow.clock.today(), answer_working_days(request.type))
    with rules_as_conflicts():
        request.dispatch(office, due_on=due_on, reviewer=reviewer)
    uow.emit(
        new_event(
            hotline_events.REQUEST_DISPATCHED,
            hotline_events.RequestDispatched(
                request_id=request.id,
                office=office,
                request_type=request.type.value,
                category=request.category,
                region=request.region,
                text=request.text,
                due_on=due_on,
                round=request.round,
            ),
        )
    )


async def dispatch(cmd: DispatchRequest, uow: HotlineUnitOfWork, *, calendar: WorkingDays) -> HotlineRequest:
    """派单 (or 改派 after reviewing an objection); without an office, the catalogue's suggestion; 409 when
    there is none."""
    async with uow:
        request = await load(uow, cmd.request_id)
        office = cmd.office or suggest_office(
            await uow.rules.all(), category=request.category, region=request.region
        )
        if office is None:
            raise ConflictError("The dispatch catalogue has no office for this category and region.")
        await _send(request, office, uow, calendar, reviewer=cmd.reviewer)
        await uow.requests.save(request)
        await uow.commit()
    return request


async def object_to(cmd: ObjectToRequest, uow: HotlineUnitOfWork) -> HotlineRequest:
    """退单 — the office returns the request with a reason; a dispatcher reviews and re-dispatches it."""
    async with uow:
        request = await load(uow, cmd.request_id)
        with rules_as_conflicts():
            request.object(cmd.office, cmd.reason)
        await uow.requests.save(request)
        await uow.commit()
    return request


async def answer_request(cmd: AnswerRequest, uow: HotlineUnitOfWork) -> HotlineRequest:
    """答复 — the office answers; every merged caller is told (``hotline.request-answered``)."""
    async with uow:
        request = await load(uow, cmd.request_id)
        with rules_as_conflicts():
            request.answer_by_office(cmd.office, cmd.answer)
        await uow.requests.save(request)
        uow.emit(answered_event(request))
        await uow.commit()
    return request


async def call_back(cmd: CallBack, uow: HotlineUnitOfWork, *, calendar: WorkingDays) -> HotlineRequest:
    """回访 — records the 好差评 level; a dissatisfied caller's request goes back to the same office
    (once), with a new due date; otherwise it is closed (办结)."""
    async with uow:
        request = await load(uow, cmd.request_id)
        with rules_as_conflicts():
            reopened = request.call_back(cmd.level)
        if reopened:
            assert request.office is not None, "an answered request was dispatched"
            await _send(request, request.office, uow, calendar, reviewer=False)
        await uow.requests.save(request)
        await uow.commit()
    return request
