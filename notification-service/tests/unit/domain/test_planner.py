"""Planning: which messages an event causes, digest entries, and the departments an event concerns."""

from __future__ import annotations

from onematter_notification.domain.planner import departments_of, digest_entry, plan
from onematter_notification.domain.templates import render


def test_approvals_make_digest_entries_not_messages_and_rejections_make_a_message_not_an_entry() -> None:
    data = {
        "task_id": "t1",
        "application_id": "a1",
        "applicant_id": "u1",
        "item_code": "i",
        "department": "d",
        "outcome": "approved",
    }
    assert plan("gov.onematter.task.completed", data) == []
    assert digest_entry("gov.onematter.task.completed", data)["task_id"] == "t1"
    rejected = {**data, "outcome": "rejected", "reason": "照片不清晰"}
    assert digest_entry("gov.onematter.task.completed", rejected) is None
    [draft] = plan("gov.onematter.task.completed", rejected)
    assert (draft.recipient, draft.kind, draft.application_id) == ("user:u1", "task.rejected", "a1")


def test_a_bad_review_goes_to_the_supervisors_and_a_good_one_to_nobody() -> None:
    review = {"application_id": "a", "bad": True, "lead_department": "d"}
    assert [d.recipient for d in plan("gov.onematter.review.submitted", review)] == ["role:supervisor"]
    assert plan("gov.onematter.review.submitted", {**review, "bad": False}) == []


def test_an_event_concerns_every_department_it_names() -> None:
    assert departments_of({"tasks": [{"department": "a"}, {"department": "b"}], "lead_department": "c"}) == {
        "a",
        "b",
        "c",
    }


def _moved(**extra: object) -> dict[str, object]:
    return {
        "application_id": "a1",
        "acceptance_number": "YJS-20270120-000001",
        "applicant_id": "u1",
        "matter_code": "disability-services",
        "previous_deadline": "2027-02-23",
        "deadline": "2027-02-24",
        "deadline_provisional": False,
        "notice": {"year": 2027, "document_number": "国办发明电〔2026〕99号", "version": 1},
        **extra,
    }


def test_a_deadline_moved_by_a_holiday_notice_is_told_to_the_applicant_in_words() -> None:
    [draft] = plan("gov.onematter.application.deadline-changed", _moved())

    rendered = render(
        draft.kind, "zh-CN", draft.params, {("matter", "disability-services"): {"zh-CN": "残疾人服务一件事"}}
    )

    assert (draft.recipient, draft.kind) == ("user:u1", "application.deadline-changed")
    assert rendered.body == (
        "因国务院办公厅2027年节假日安排通知（国办发明电〔2026〕99号），您的申请「残疾人服务一件事」"
        "（受理编号 YJS-20270120-000001）的承诺办结期限由 2027-02-23 调整为 2027-02-24。"
    )


def test_a_task_deadline_moved_by_a_holiday_notice_goes_to_its_departments_inbox() -> None:
    data = _moved(task_id="t1", item_code="cdpf-card", department="cdpf")

    [draft] = plan("gov.onematter.task.deadline-changed", data)

    assert (draft.recipient, draft.kind) == ("dept:cdpf", "task.deadline-changed")
    assert "2027-02-24" in render(draft.kind, "zh-CN", draft.params).body
