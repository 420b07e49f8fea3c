"""The pure rules: templates, planning, backoff, signatures and the SSRF address filter."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from onematter_kit.identity import Role
from onematter_notification.domain.delivery import RetryPolicy, is_forbidden_address, sign, verify_signature
from onematter_notification.domain.planner import departments_of, digest_entry, plan
from onematter_notification.domain.recipients import inboxes_of
from onematter_notification.domain.templates import _FORMATTER, render
from onematter_testkit import make_principal


def test_a_template_renders_in_the_recipients_language_and_defaults_to_chinese() -> None:
    params = {"acceptance_number": "YW1", "matter_code": "newborn", "deadline": "2030-01-15"}
    assert "acceptance number YW1" in render("application.accepted", "en-US", params).body
    assert render("application.accepted", None, params).locale == "zh-CN"
    assert "受理编号 YW1" in render("application.accepted", "fr", params).body


def test_missing_values_render_empty_and_attribute_access_is_not_possible() -> None:
    assert render("task.overdue", "en", {}).subject == "Overdue: "
    with pytest.raises(ValueError):
        _FORMATTER.vformat("{x.__class__}", (), {"x": 1})


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


def test_catalog_codes_render_as_names_in_the_readers_language_and_as_codes_when_unknown() -> None:
    data = {
        "application_id": "a1",
        "acceptance_number": "YW1",
        "applicant_id": "u1",
        "items": [
            {"material_type": "social_security_card", "reason": "模糊"},
            {"material_type": "x", "reason": "缺"},
        ],
    }
    [draft] = plan("gov.onematter.application.supplement-requested", data)
    names = {("material", "social_security_card"): {"zh-CN": "社会保障卡", "en": "Social security card"}}
    assert (
        render(draft.kind, "zh-CN", draft.params, names).body
        == "办件 YW1 需要补正以下材料：社会保障卡 (模糊); x (缺)"
    )
    assert "Social security card (模糊); x (缺)" in render(draft.kind, "en", draft.params, names).body
    assert "social_security_card (模糊)" in render(draft.kind, "en", draft.params).body


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


def test_an_officer_reads_their_department_inbox_and_an_applicant_only_their_own() -> None:
    assert inboxes_of(make_principal("o", Role.officer, department="gaj")) == ["user:o", "dept:gaj"]
    assert inboxes_of(make_principal("u", Role.applicant)) == ["user:u"]


def test_backoff_is_jittered_under_an_exponential_ceiling_and_gives_up_after_the_horizon() -> None:
    policy = RetryPolicy(base_seconds=2, cap_seconds=3600, horizon_seconds=24 * 3600)
    start = datetime(2030, 1, 1, tzinfo=UTC)
    rng = random.Random(1)
    for attempts in range(1, 20):
        delay = policy.next_attempt(attempts=attempts, first_attempt_at=start, now=start, rng=rng) - start
        assert timedelta(0) <= delay <= timedelta(seconds=min(3600, 2 * 2**attempts))
    late = start + timedelta(hours=24)
    assert policy.next_attempt(attempts=30, first_attempt_at=start, now=late) is None


def test_a_signature_verifies_with_the_secret_only_and_not_when_stale() -> None:
    header = sign("s3cret", timestamp=1_900_000_000, body=b'{"a":1}')
    assert header.startswith("t=1900000000,v1=")
    assert verify_signature("s3cret", header=header, body=b'{"a":1}', now=1_900_000_010)
    assert not verify_signature("other", header=header, body=b'{"a":1}', now=1_900_000_010)
    assert not verify_signature("s3cret", header=header, body=b'{"a":2}', now=1_900_000_010)
    assert not verify_signature("s3cret", header=header, body=b'{"a":1}', now=1_900_009_999)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.8",
        "172.16.3.4",
        "192.168.1.1",
        "169.254.169.254",
        "224.0.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "100.64.0.1",
    ],
)
def test_internal_addresses_are_forbidden(address: str) -> None:
    assert is_forbidden_address(address)


def test_a_public_address_is_allowed() -> None:
    assert not is_forbidden_address("93.184.216.34")
