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


def _due_event(**extra: object) -> dict[str, object]:
    return {
        "task_id": "t1",
        "application_id": "a1",
        "acceptance_number": "YJS-20251009-000001",
        "applicant_id": "u1",
        "item_code": "mps-birth-registration",
        "department": "mps",
        "due_for": "supplement",
        "materials": ["hukou_book"],
        "due_on": "2025-10-15",
        "consequence": "not_accepted",
        "basis": "",
        **extra,
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


def test_a_due_date_reminder_and_its_expiry_go_to_the_applicant_in_words_without_codes() -> None:
    names = {
        ("item", "mps-birth-registration"): {"zh-CN": "出生登记（户口登记）"},
        ("department", "mps"): {"zh-CN": "公安局"},
        ("material", "hukou_book"): {"zh-CN": "户口簿"},
    }
    [reminder] = plan("gov.onematter.task.supplement-reminder", _due_event())
    [expired] = plan(
        "gov.onematter.task.supplement-expired",
        _due_event(due_for="deferred", consequence="terminated", basis="本事项实施清单", reason="r"),
    )

    assert (reminder.recipient, reminder.kind) == ("user:u1", "task.supplement-reminder")
    assert (expired.recipient, expired.kind) == ("user:u1", "task.supplement-expired")
    told = render(reminder.kind, "zh-CN", reminder.params, names)
    ended = render(expired.kind, "zh-CN", expired.params, names)
    assert told.body == (
        "办件 YJS-20251009-000001 中「出生登记（户口登记）」所需的补正材料（户口簿）请于 2025-10-15 前提交，"
        "逾期将不予受理。"
    )
    assert ended.subject == "事项终止办理：YJS-20251009-000001"
    assert ended.body == (
        "办件 YJS-20251009-000001 中「出生登记（户口登记）」（公安局）所需的容缺后补材料（户口簿）"
        "未在 2025-10-15 前提交，依据本事项实施清单，终止办理。"
    )
    for text in (told.body, ended.body, ended.subject):
        assert "not_accepted" not in text and "terminated" not in text and "hukou_book" not in text


def test_without_a_basis_the_expiry_says_per_the_item_in_both_languages() -> None:
    [expired] = plan("gov.onematter.task.supplement-expired", _due_event(reason="r"))

    assert "按事项规定，不予受理。" in render(expired.kind, "zh-CN", expired.params).body
    assert "as the item provides, the item is not accepted" in render(expired.kind, "en", expired.params).body


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
