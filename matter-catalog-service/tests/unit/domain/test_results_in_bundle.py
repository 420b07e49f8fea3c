"""办理结果 inside the bundle (issue 21 item 4): a later item's material is an earlier item's licence.

Only the catalog's model and events: acceptance does not yet order its tasks by it (a later step).
"""

from __future__ import annotations

from onematter_catalog.domain.guide import build_guide, render_guide_html
from onematter_catalog.domain.model import ItemResult, MaterialRequirement, MatterSpec
from onematter_catalog.domain.situations import tailor
from onematter_catalog.domain.validation import validate_matter
from onematter_catalog.domain.views import build_version
from onematter_events.matters import MatterPublished

from ..builders import DEPARTMENTS, MATERIAL_TYPES, PUBLISHED_AT, a_matter, an_item, seed_matter


def _version(code: str) -> MatterPublished:
    return build_version(
        seed_matter(code), version=1, material_types=MATERIAL_TYPES, published_at=PUBLISHED_AT
    )


def test_the_newborns_birth_certificate_comes_from_its_first_item_for_every_later_item() -> None:
    version = _version("newborn-birth")

    items = {i.code: {m.material_type: m.from_item for m in i.materials} for i in version.items}
    merged = {m.material_type: m.in_bundle_from for m in version.materials}

    assert items["ndcpa-vaccination-cert"]["birth_medical_cert"] == "nhc-birth-medical-cert"
    assert items["mps-birth-registration"]["birth_medical_cert"] == "nhc-birth-medical-cert"
    assert items["mps-birth-registration"]["hukou_book"] is None
    assert merged["birth_medical_cert"] == "nhc-birth-medical-cert" and merged["hukou_book"] is None


def test_the_restaurants_business_licence_comes_from_its_first_item_and_the_guide_says_so() -> None:
    version = _version("open-restaurant")

    html = render_guide_html(build_guide(version, DEPARTMENTS))

    licence = next(m for m in version.materials if m.material_type == "business_licence")
    assert licence.in_bundle_from == "samr-business-licence"
    assert "由本件“营业执照办理”的办理结果提供，无需提交" in html


def _bundle(*, producer_first: bool = True, issues: str = "business_licence") -> MatterSpec:
    producer = an_item(code="make-licence", result=ItemResult(licence_type=issues, number_prefix="X"))
    user = an_item(code="use-licence", materials=[MaterialRequirement(material_type="business_licence")])
    items = [producer, user] if producer_first else [user, producer]
    return MatterSpec.model_validate(
        {
            **a_matter(*items).model_dump(),
            "results_in_bundle": [
                {"item": "use-licence", "material_type": "business_licence", "from_item": "make-licence"}
            ],
        }
    )


def _problems(spec: MatterSpec) -> list[str]:
    found = validate_matter(spec, departments=DEPARTMENTS, material_types=MATERIAL_TYPES, shared_items={})
    return [p["message"] for p in found if p["field"].startswith("results_in_bundle")]


def test_the_producing_item_must_come_first_and_issue_that_very_licence() -> None:
    assert _problems(_bundle()) == []
    assert _problems(_bundle(producer_first=False)) == [
        "'make-licence' is not an item before 'use-licence' in this matter"
    ]
    assert _problems(_bundle(issues="food_licence")) == [
        "item 'make-licence' does not issue 'business_licence'"
    ]


def test_when_answers_leave_the_producing_item_out_the_applicant_provides_the_material() -> None:
    spec = MatterSpec.model_validate(
        {
            **_bundle().model_dump(),
            "questions": [
                {
                    "key": "licensed",
                    "text_zh": "是否已有营业执照？",
                    "options": [{"value": "yes", "label_zh": "是"}, {"value": "no", "label_zh": "否"}],
                }
            ],
            "rules": [
                {"when": [{"question": "licensed", "any_of": ["yes"]}], "exclude_items": ["make-licence"]}
            ],
        }
    )
    version = build_version(spec, version=1, material_types=MATERIAL_TYPES, published_at=PUBLISHED_AT)

    has_one, needs_one = tailor(version, {"licensed": ["yes"]}), tailor(version, {"licensed": ["no"]})

    assert [m.in_bundle_from for m in has_one.materials] == [None]
    assert has_one.items[0].materials[0].from_item is None
    assert [m.in_bundle_from for m in needs_one.materials] == ["make-licence"]
