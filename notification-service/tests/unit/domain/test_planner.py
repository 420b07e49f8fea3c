"""Planning: which messages an event causes, digest entries, and the departments an event concerns."""

from __future__ import annotations

from onematter_notification.domain.planner import departments_of, digest_entry, plan


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
