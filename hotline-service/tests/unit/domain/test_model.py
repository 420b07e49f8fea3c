from datetime import date

import pytest
from hotline_builders import a_request
from onematter_hotline.domain.model import Caller, RequestRuleBroken, RequestType, Status

DUE = date(2026, 12, 15)


def test_a_consultation_is_answered_and_closed_on_first_contact():
    request = a_request(type=RequestType.consultation)
    request.answer_on_spot("带身份证和结婚证到医院办理")
    assert (request.status, request.answered_on_first_contact) == (Status.closed, True)


def test_a_complaint_is_not_closed_on_first_contact():
    with pytest.raises(RequestRuleBroken):
        a_request(type=RequestType.complaint).answer_on_spot("…")


@pytest.mark.parametrize("kind", [RequestType.consultation, RequestType.suggestion, RequestType.report])
def test_consultations_suggestions_and_reports_may_be_anonymous(kind):
    a_request(type=kind, caller=Caller()).check_caller()


@pytest.mark.parametrize("kind", [RequestType.complaint, RequestType.help])
def test_complaints_and_help_requests_need_a_caller(kind):
    with pytest.raises(RequestRuleBroken):
        a_request(type=kind, caller=Caller()).check_caller()


def test_the_caller_is_masked_for_officers():
    masked = Caller(name="欧阳娜娜", phone="13812345678", subject="x").masked()
    assert masked == Caller(name="欧***", phone="138****5678", subject=None)


def test_an_objection_needs_a_dispatcher_before_the_request_goes_out_again():
    request = a_request()
    request.dispatch("samr", due_on=DUE)
    with pytest.raises(RequestRuleBroken):
        request.object("mot", "不是我的")  # only the office it was sent to objects
    request.object("samr", "属交通部门")
    with pytest.raises(RequestRuleBroken):
        request.dispatch("mot", due_on=DUE)
    request.dispatch("mot", due_on=DUE, reviewer=True)
    assert (request.status, request.office, request.round, request.objection) == (
        Status.dispatched,
        "mot",
        2,
        None,
    )


def test_a_dissatisfied_callback_reopens_once_then_closes():
    request = a_request()
    request.dispatch("mot", due_on=DUE)
    request.answer_by_office("mot", "已处理")
    assert request.call_back(2) is True
    assert (request.status, request.reopenings) == (Status.reopened, 1)
    request.dispatch("mot", due_on=DUE)
    request.answer_by_office("mot", "再次处理")
    assert request.call_back(1) is False
    assert (request.status, request.satisfaction) == (Status.closed, 1)


def test_a_satisfied_callback_closes():
    request = a_request()
    request.dispatch("mot", due_on=DUE)
    request.answer_by_office("mot", "已处理")
    assert request.call_back(3) is False
    assert request.status is Status.closed


def test_a_request_is_overdue_the_day_after_its_due_date_and_escalated_once_per_round():
    request = a_request()
    request.dispatch("mot", due_on=DUE)
    assert not request.overdue(DUE)
    assert request.overdue(date(2026, 12, 16))
    request.escalate(date(2026, 12, 16))
    assert not request.overdue(date(2026, 12, 17))
    with pytest.raises(RequestRuleBroken):
        request.escalate(date(2026, 12, 17))


def test_merged_callers_all_get_the_primary_answer():
    primary, second, third = a_request(), a_request(), a_request()
    second.merge_into(primary)
    third.merge_into(primary)
    assert (second.status, second.merged_into) == (Status.merged, primary.id)
    assert primary.merged == [second.id, third.id]
    assert primary.recipients() == [primary.caller.subject, second.caller.subject, third.caller.subject]


def test_a_request_does_not_merge_into_itself_or_a_closed_one():
    request, closed = a_request(), a_request(type=RequestType.consultation)
    closed.answer_on_spot("…")
    for target in (request, closed):
        with pytest.raises(RequestRuleBroken):
            request.merge_into(target)
