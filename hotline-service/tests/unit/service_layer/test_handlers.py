"""The hotline's handlers on the fake unit of work: state and emitted events, no database.

Dates: the fake clock's "today" is Tue 2026-12-01 in Beijing; a complaint's 10 working days (Mon–Fri, no
holiday in those weeks) end on Tue 2026-12-15, a help request's 5 on Tue 2026-12-08.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hotline_fakes import FakeHotlineUnitOfWork, SpaceSegmenter, WeekdaysOnly
from onematter_clock import FixedClock
from onematter_events import CloudEvent, matters
from onematter_events import hotline as ev
from onematter_hotline.domain.model import Caller, Channel, RequestType, Status
from onematter_hotline.service_layer import commands as c
from onematter_hotline.service_layer import intake, knowledge, loop
from onematter_hotline.service_layer.escalation import escalate_overdue
from onematter_kit.errors import ConflictError, ValidationProblem

TUESDAY = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
SEG, DAYS = SpaceSegmenter(), WeekdaysOnly()


@pytest.fixture
def uow() -> FakeHotlineUnitOfWork:
    return FakeHotlineUnitOfWork(clock=FixedClock(TUESDAY))


async def _take(
    uow, *, type=RequestType.complaint, text="路口 红绿灯 坏了", subject="lisi", category="traffic"
):
    cmd = c.TakeRequest(
        type=type,
        channel=Channel.call,
        caller=Caller(subject=subject),
        region="110105",
        category=category,
        text=text,
    )
    return await intake.take_request(cmd, uow, segmenter=SEG, threshold=0.5)


async def test_an_anonymous_complaint_is_refused_and_nothing_is_stored(uow):
    cmd = c.TakeRequest(
        type=RequestType.complaint,
        channel=Channel.call,
        caller=Caller(),
        region="110105",
        category="x1",
        text="t",
    )
    with pytest.raises(ValidationProblem):
        await intake.take_request(cmd, uow, segmenter=SEG, threshold=0.5)
    assert not uow.committed and not uow.requests.rows


async def test_a_repeated_request_is_proposed_for_merging_with_the_open_one(uow):
    first = (await _take(uow)).request
    await _take(uow, text="油烟 扰民")
    again = await _take(uow, text="路口 红绿灯 坏了 好几天")  # 3 of 4 words: 0.75
    other_category = await _take(uow, category="housing")
    assert [(p.id, p.score) for p in again.merge_proposals] == [(first.id, 0.75)]
    assert other_category.merge_proposals == []


async def test_a_consultation_answered_on_the_spot_tells_its_caller(uow):
    taken = (await _take(uow, type=RequestType.consultation, subject="zhangsan")).request
    closed = await intake.answer_on_spot(c.AnswerOnSpot(request_id=taken.id, answer="带身份证"), uow)
    assert closed.status is Status.closed and uow.committed
    [event] = uow.emitted
    assert (event.type, event.data["recipients"], event.data["answer"]) == (
        ev.REQUEST_ANSWERED,
        ["zhangsan"],
        "带身份证",
    )


async def test_dispatch_takes_the_catalogue_suggestion_and_counts_working_days(uow):
    await uow.rules.put(category="traffic", region="110000", office="mps")
    taken = (await _take(uow)).request
    dispatched = await loop.dispatch(c.DispatchRequest(request_id=taken.id), uow, calendar=DAYS)
    assert (dispatched.office, dispatched.due_on) == ("mps", date(2026, 12, 15))
    [event] = uow.emitted
    assert (event.type, event.data["office"], event.data["due_on"], event.data["round"]) == (
        ev.REQUEST_DISPATCHED,
        "mps",
        "2026-12-15",
        1,
    )
    assert "lisi" not in event.to_bytes().decode()  # no personal data on the bus


async def test_dispatch_without_a_rule_is_a_conflict(uow):
    taken = (await _take(uow)).request
    with pytest.raises(ConflictError):
        await loop.dispatch(c.DispatchRequest(request_id=taken.id), uow, calendar=DAYS)
    assert not uow.emitted


async def test_a_dissatisfied_callback_sends_the_request_back_to_its_office_with_a_new_due_date(uow):
    taken = (await _take(uow, type=RequestType.help)).request
    await loop.dispatch(c.DispatchRequest(request_id=taken.id, office="mps"), uow, calendar=DAYS)
    await loop.answer_request(c.AnswerRequest(request_id=taken.id, office="mps", answer="已修"), uow)
    reopened = await loop.call_back(c.CallBack(request_id=taken.id, level=1), uow, calendar=DAYS)
    assert (reopened.status, reopened.office, reopened.round, reopened.due_on) == (
        Status.dispatched,
        "mps",
        2,
        date(2026, 12, 8),
    )
    assert [e.type for e in uow.emitted] == [
        ev.REQUEST_DISPATCHED,
        ev.REQUEST_ANSWERED,
        ev.REQUEST_DISPATCHED,
    ]


async def test_merged_callers_are_all_recipients_of_the_answer(uow):
    first, second = (await _take(uow)).request, (await _take(uow, subject="zhaoliu")).request
    await intake.merge(c.MergeRequest(request_id=second.id, into=first.id), uow)
    await loop.dispatch(c.DispatchRequest(request_id=first.id, office="mps"), uow, calendar=DAYS)
    await loop.answer_request(c.AnswerRequest(request_id=first.id, office="mps", answer="已修"), uow)
    assert uow.emitted[-1].data["recipients"] == ["lisi", "zhaoliu"]
    assert uow.requests.rows[second.id].status is Status.merged


async def test_the_escalation_round_escalates_overdue_requests_once(uow):
    taken = (await _take(uow)).request
    await loop.dispatch(c.DispatchRequest(request_id=taken.id, office="mps"), uow, calendar=DAYS)
    assert await escalate_overdue(uow) == 0
    uow.clock = FixedClock(datetime(2026, 12, 16, 1, 0, tzinfo=UTC))  # the day after the due date
    assert await escalate_overdue(uow) == 1
    assert await escalate_overdue(uow) == 0
    assert [e.type for e in uow.emitted].count(ev.REQUEST_ESCALATED) == 1


async def test_a_published_guide_is_searchable_and_a_retired_one_is_gone(uow):
    handlers = knowledge.catalog_handlers(SEG)
    data = {"matter_code": "newborn-birth", "name_zh": "新生儿 出生", "name_en": "Birth", "committed_days": 5}
    await handlers[matters.MATTER_PUBLISHED](
        CloudEvent(source="s", type=matters.MATTER_PUBLISHED, data=data), uow
    )
    [found] = await knowledge.search("新生儿 办理", uow, segmenter=SEG)
    assert (found.entry.id, found.score) == ("matter:newborn-birth", 0.5)
    await handlers[matters.MATTER_RETIRED](
        CloudEvent(source="s", type=matters.MATTER_RETIRED, data=data), uow
    )
    assert await knowledge.search("新生儿", uow, segmenter=SEG) == []
