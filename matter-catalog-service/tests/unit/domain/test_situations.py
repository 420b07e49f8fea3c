"""情形引导: answers tailor the guide's items, materials and form; rules must name what the matter has."""

from __future__ import annotations

from onematter_catalog.domain.form_fields import FIELD_LIBRARY
from onematter_catalog.domain.guide import build_guide
from onematter_catalog.domain.model import MatterSpec
from onematter_catalog.domain.situations import answer_problems, guidance_problems, tailor
from onematter_catalog.domain.views import build_version

from ..builders import DEPARTMENTS, MATERIAL_TYPES, PUBLISHED_AT, a_matter, an_item, seed_matter

NEWBORN = build_version(
    seed_matter("newborn-birth"), version=1, material_types=MATERIAL_TYPES, published_at=PUBLISHED_AT
)


def _lists(answers: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    guide = build_guide(NEWBORN, DEPARTMENTS, answers)
    return [i["code"] for i in guide["items"]], [m["material_type"] for m in guide["materials"]]


def test_a_local_married_family_wanting_everything_gets_all_five_items_and_materials() -> None:
    """Rules of the seed: vaccination, medical insurance and the social security card apply only when
    chosen; nothing excludes anything for a local, married family. Materials in the version's order:
    出生医学证明 needs 身份证 and 结婚证; 预防接种证 the 出生医学证明; 出生登记 出生医学证明, 户口簿, 身份证
    and 结婚证; 医保 the 户口簿; 社保卡 the 户口簿 and a photo."""
    items, materials = _lists(
        {
            "hukou_place": ["local"],
            "parents_married": ["yes"],
            "wants": ["vaccination", "medical_insurance", "social_security_card"],
        }
    )

    assert items == [
        "nhc-birth-medical-cert",
        "ndcpa-vaccination-cert",
        "mps-birth-registration",
        "nhsa-resident-enrolment",
        "mohrss-card-application",
    ]
    assert materials == ["id_card", "marriage_cert", "birth_medical_cert", "hukou_book", "photo"]


def test_a_local_unmarried_family_wanting_nothing_more_needs_no_marriage_certificate() -> None:
    """No optional item chosen: the 出生医学证明 and the 出生登记 remain. ``parents_married: no`` drops the
    结婚证 from every item, so 身份证 (both items), 出生医学证明 and 户口簿 (出生登记) remain."""
    items, materials = _lists({"hukou_place": ["local"], "parents_married": ["no"], "wants": []})

    assert items == ["nhc-birth-medical-cert", "mps-birth-registration"]
    assert materials == ["id_card", "birth_medical_cert", "hukou_book"]


def test_a_family_registered_elsewhere_gets_no_birth_registration_nor_insurance_even_if_chosen() -> None:
    """``hukou_place: elsewhere`` excludes 出生登记 and 医保参保 (done where the household is registered),
    and an exclusion wins over a choice; the 社保卡 chosen stays, with its 户口簿 and photo; 结婚证 stays
    (married), 出生医学证明 (as a material) goes with the items that needed it."""
    items, materials = _lists(
        {
            "hukou_place": ["elsewhere"],
            "parents_married": ["yes"],
            "wants": ["social_security_card", "medical_insurance"],
        }
    )

    assert items == ["nhc-birth-medical-cert", "mohrss-card-application"]
    assert materials == ["id_card", "marriage_cert", "hukou_book", "photo"]


def test_the_tailored_form_asks_only_the_remaining_items_fields_and_the_time_is_theirs() -> None:
    tailored = tailor(NEWBORN, {"hukou_place": ["local"], "parents_married": ["no"], "wants": []})

    # 出生医学证明 and 出生登记: the individual's four fields and the newborn's name, date, sex and hospital.
    assert list(tailored.form_schema["properties"]) == [
        "applicant_name",
        "id_number",
        "contact_phone",
        "address",
        "newborn_name",
        "newborn_birth_date",
        "newborn_gender",
        "birth_hospital",
    ]
    assert tailored.committed_days == 1  # the 10-day social security card is not among them
    assert tailored.field_items["newborn_name"] == ["nhc-birth-medical-cert", "mps-birth-registration"]


def test_rules_may_add_a_conditional_field_and_drop_another() -> None:
    email, phone = FIELD_LIBRARY["email"], FIELD_LIBRARY["contact_phone"]
    item = an_item(fields=[FIELD_LIBRARY["id_number"], email, phone])
    question = {
        "key": "contact",
        "text_zh": "联系方式",
        "options": [{"value": "mail", "label_zh": "邮件"}, {"value": "sms", "label_zh": "短信"}],
    }
    spec = MatterSpec.model_validate(
        {
            **a_matter(item).model_dump(),
            "questions": [question],
            "rules": [
                {
                    "when": [{"question": "contact", "any_of": ["mail"]}],
                    "add_fields": ["email"],
                    "drop_fields": ["contact_phone"],
                }
            ],
        }
    )
    version = build_version(spec, version=1, material_types=MATERIAL_TYPES, published_at=PUBLISHED_AT)

    by_mail = tailor(version, {"contact": ["mail"]}).form_schema["properties"]
    by_sms = tailor(version, {"contact": ["sms"]}).form_schema["properties"]

    assert list(by_mail) == ["id_number", "email"]
    assert list(by_sms) == ["id_number", "contact_phone"]


def test_answers_must_answer_every_question_with_its_own_options() -> None:
    problems = answer_problems(
        NEWBORN.questions, {"hukou_place": ["local", "elsewhere"], "wants": ["pony"], "colour": ["red"]}
    )

    assert {(p["field"], p["message"].split(":")[0]) for p in problems} == {
        ("answers.colour", "no question 'colour' in this matter"),
        ("answers.hukou_place", "choose exactly one option"),
        ("answers.parents_married", "unanswered"),
        ("answers.wants", "not an option of this question"),
    }


def test_rules_naming_what_the_matter_lacks_are_reported() -> None:
    spec = seed_matter("newborn-birth")
    broken = MatterSpec.model_validate(
        {
            **spec.model_dump(),
            "rules": [
                {
                    "when": [{"question": "colour", "any_of": ["red"]}],
                    "include_items": ["no-such-item"],
                    "exclude_materials": [{"material_type": "unicorn_cert"}],
                    "add_fields": ["favourite_colour"],
                },
                {"when": [{"question": "hukou_place", "any_of": ["mars"]}]},
            ],
        }
    )

    assert [p["field"] for p in guidance_problems(broken)] == [
        "rules[0].when",
        "rules[0].include_items",
        "rules[0].exclude_materials",
        "rules[0]",
        "rules[1].when",
    ]
    assert guidance_problems(spec) == []
