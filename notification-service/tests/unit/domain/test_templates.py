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
        == "办件 YW1 需要补正以下材料：社会保障卡 (模糊); x (缺)"
    )
    assert "Social security card (模糊); x (缺)" in render(draft.kind, "en", draft.params, names).body
    assert "social_security_card (模糊)" in render(draft.kind, "en", draft.params).body
