"""The due-date rule of 补正 and 容缺 (issue 15): the item's terms, one reminder before, expiry after.

Dates are on the 2025 calendar of 国办发明电〔2024〕12号: 国庆 10-01..10-08 off, Saturday 10-11 worked.
"""

from __future__ import annotations

from datetime import date

from onematter_acceptance.domain.duedates import ItemTerms, expiry_reason, step_on
from onematter_events.matters import DeferralTerm, DueTerm, ItemMaterial, PublishedItem

TUE_14, WED_15, THU_16 = date(2025, 10, 14), date(2025, 10, 15), date(2025, 10, 16)


def test_nothing_is_due_before_the_reminder_horizon():
    assert step_on(THU_16, reminded=False, today=date(2025, 10, 13), horizon=TUE_14) is None


def test_a_due_date_within_the_horizon_is_reminded_once():
    assert step_on(WED_15, reminded=False, today=TUE_14, horizon=WED_15) == "reminder"
    assert step_on(WED_15, reminded=True, today=TUE_14, horizon=WED_15) is None


def test_the_due_date_itself_is_still_a_day_to_answer_and_the_next_day_it_expired():
    assert step_on(WED_15, reminded=True, today=WED_15, horizon=THU_16) is None
    assert step_on(WED_15, reminded=True, today=THU_16, horizon=date(2025, 10, 17)) == "expired"
    assert step_on(WED_15, reminded=False, today=THU_16, horizon=date(2025, 10, 17)) == "expired"


def test_the_reason_names_the_consequence_in_chinese_and_per_the_item_without_a_basis():
    term = DueTerm()
    assert expiry_reason("supplement", due_on=WED_15, term=term) == (
        "补正材料未在2025-10-15前提交，按事项规定，不予受理。"
    )


def test_the_reason_quotes_the_items_basis_and_its_consequence():
    term = DueTerm(consequence="terminated", basis="本事项实施清单第七项")
    assert expiry_reason("deferred", due_on=WED_15, term=term) == (
        "容缺后补材料未在2025-10-15前提交，依据本事项实施清单第七项，终止办理。"
    )


def _item(**extra):
    return PublishedItem(
        code="mohrss-social-security-card",
        name_zh="社会保障卡申领",
        name_en="Social security card",
        department="mohrss",
        kind="public_service",
        committed_days=10,
        statutory_days=20,
        form_fields=[],
        **extra,
    )


def test_an_item_published_before_terms_gets_the_matters_days_and_not_accepted():
    item = _item(materials=[ItemMaterial(material_type="photo", key=False, deferrable=True)])

    terms = ItemTerms.of(item, default_days=7)

    assert terms.supplement == DueTerm(working_days=7, consequence="not_accepted")
    assert terms.deferral_for("photo") == DeferralTerm(working_days=7)
    assert not terms.may_decide_without("photo")


def test_an_items_own_terms_are_kept_and_only_deferrable_materials_have_a_deferral_term():
    photo = ItemMaterial(
        material_type="photo",
        key=False,
        deferrable=True,
        deferral=DeferralTerm(working_days=10, consequence="terminated", decide_before_arrival=True),
    )
    item = _item(
        materials=[photo, ItemMaterial(material_type="id_card")],
        supplement_term=DueTerm(working_days=3, consequence="terminated"),
    )

    terms = ItemTerms.of(item, default_days=5)

    assert terms.supplement.working_days == 3 and set(terms.deferral) == {"photo"}
    assert terms.may_decide_without("photo") and terms.deferral_for("photo").working_days == 10


def test_of_several_deferred_materials_the_shortest_term_is_due_first():
    terms = ItemTerms(deferral={"a": DeferralTerm(working_days=10), "b": DeferralTerm(working_days=3)})

    assert terms.earliest(["a", "b"]) == ("b", DeferralTerm(working_days=3))
