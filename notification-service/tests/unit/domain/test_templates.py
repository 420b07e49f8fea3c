"""Templates: the reader's language, safe placeholders, catalog codes shown as names."""

from __future__ import annotations

import pytest
from onematter_notification.domain.planner import plan
from onematter_notification.domain.templates import _FORMATTER, render


def test_a_template_renders_in_the_recipients_language_and_defaults_to_chinese() -> None:
    params = {"acceptance_number": "YW1", "matter_code": "newborn", "deadline": "2030-01-15"}
    assert "acceptance number YW1" in render("application.accepted", "en-US", params).body
    assert render("application.accepted", None, params).locale == "zh-CN"
    assert "受理编号 YW1" in render("application.accepted", "fr", params).body


def test_missing_values_render_empty_and_attribute_access_is_not_possible() -> None:
    assert render("task.overdue", "en", {}).subject == "Overdue: "
    with pytest.raises(ValueError):
        _FORMATTER.vformat("{x.__class__}", (), {"x": 1})


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
        == "办件 YW1 需要补正以下材料：社会保障卡（模糊）；x（缺）"
    )
    assert "Social security card (模糊); x (缺)" in render(draft.kind, "en", draft.params, names).body
    assert "social_security_card (模糊)" in render(draft.kind, "en", draft.params).body


def test_an_accepted_message_says_when_its_deadline_is_provisional() -> None:
    data = {
        "application_id": "a1",
        "acceptance_number": "YJS-20261201-000001",
        "applicant_id": "u1",
        "matter_code": "newborn-birth",
        "deadline": "2027-01-05",
        "deadline_provisional": True,
    }
    [provisional] = plan("gov.onematter.application.accepted", data)
    [official] = plan("gov.onematter.application.accepted", {**data, "deadline_provisional": False})

    body = render(provisional.kind, "zh-CN", provisional.params).body
    assert "承诺办结时限 2027-01-05（暂定：按法定节假日计算" in body
    assert "暂定" not in render(official.kind, "zh-CN", official.params).body


def test_a_supplement_request_names_its_due_date() -> None:
    data = {
        "application_id": "a1",
        "acceptance_number": "YW1",
        "applicant_id": "u1",
        "items": [{"material_type": "hukou_book", "reason": "不清晰"}],
        "due_on": "2025-10-15",
    }
    [draft] = plan("gov.onematter.application.supplement-requested", data)

    assert render(draft.kind, "zh-CN", draft.params).body.endswith("。请于 2025-10-15 前补正")
    assert render(draft.kind, "en", draft.params).body.endswith("; answer by 2025-10-15")


def test_a_revoked_licence_tells_its_holder_the_names_and_the_reason_in_chinese_without_codes() -> None:
    data = {
        "licence_id": "l1",
        "holder_id": "zhangsan",
        "licence_type": "birth_medical_cert",
        "number": "CSZ-20261201-000001",
        "issuing_department": "nhc",
        "status": "revoked",
        "reason": "信息有误，依法收回",
        "ended_at": "2026-12-01T02:00:00+00:00",
    }
    names = {
        ("material", "birth_medical_cert"): {"zh-CN": "出生医学证明"},
        ("department", "nhc"): {"zh-CN": "卫生健康委"},
    }
    [draft] = plan("gov.onematter.licence.revoked", data)
    message = render(draft.kind, "zh-CN", draft.params, names)

    assert draft.recipient.endswith("zhangsan")
    assert message.subject == "电子证照已被吊销：出生医学证明"
    assert "已被卫生健康委吊销，原因：信息有误，依法收回。" in message.body
    assert "birth_medical_cert" not in message.body and "nhc" not in message.body
    [cancelled] = plan("gov.onematter.licence.cancelled", {**data, "status": "cancelled"})
    assert render(cancelled.kind, "zh-CN", cancelled.params, names).subject == "电子证照已注销：出生医学证明"
