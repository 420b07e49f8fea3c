"""The seed of the first-batch key matters derives sensible standard elements."""

from __future__ import annotations

import re

from onematter_catalog.domain.elements import missing_elements
from onematter_events.matters import ItemResult

from ..builders import SEED


def test_the_seed_has_thirteen_matters_five_of_them_for_individuals() -> None:
    assert len(SEED.matters) == 13
    assert sum(m.subject == "individual" for m in SEED.matters) == 5


def test_statutory_limits_are_never_shorter_than_the_committed_ones() -> None:
    items = [item for matter in SEED.matters for item in matter.items]

    assert all(item.statutory_days >= item.committed_days for item in items)
    assert all(item.fee.free and "online" in item.channels for item in items)


def test_the_photo_may_be_deferred_and_commitments_may_replace_their_material() -> None:
    requirements = {
        m.material_type: m for matter in SEED.matters for item in matter.items for m in item.materials
    }

    assert requirements["photo"].deferrable and not requirements["photo"].key
    assert requirements["fire_commitment"].commitment_allowed
    assert requirements["credit_commitment"].commitment_allowed
    assert not requirements["hukou_book"].deferrable and requirements["hukou_book"].form == "electronic"


def test_items_get_form_fields_by_subject_material_and_item() -> None:
    restaurant = next(m for m in SEED.matters if m.code == "open-restaurant")
    fields = {item.code: [f.name for f in item.form_fields] for item in restaurant.items}

    assert "credit_code" in fields["samr-food-licence"]  # enterprise subject
    assert "premises_address" in fields["samr-food-licence"]  # needs premises_proof
    assert "commitment_signed" in fields["fire-preopening-check"]  # a commitment may replace a material
    assert "id_number" not in fields["samr-food-licence"]


def _results() -> dict[str, ItemResult]:
    return {item.code: item.result for matter in SEED.matters for item in matter.items if item.result}


def test_the_items_that_issue_a_licence_declare_it_and_the_others_issue_none() -> None:
    issuing = {code: result.licence_type for code, result in _results().items()}

    # 出生医学证明, 预防接种证, 户口簿 (birth registration), 社保卡 (twice), 营业执照 (three SAMR
    # registrations), 食品经营许可证 and 残疾人证: the licences the first batch's items really issue.
    assert issuing == {
        "nhc-birth-medical-cert": "birth_medical_cert",
        "ndcpa-vaccination-cert": "vaccination_cert",
        "mps-birth-registration": "hukou_book",
        "mohrss-card-application": "social_security_card",
        "mohrss-card-issue": "social_security_card",
        "samr-establishment": "business_licence",
        "samr-business-licence": "business_licence",
        "samr-change-registration": "business_licence",
        "samr-food-licence": "food_licence",
        "cdpf-disability-cert": "disability_cert",
    }


def test_the_newborns_card_is_about_the_newborn_and_the_business_licence_is_numbered_by_samr() -> None:
    results = _results()
    card, business, food = (
        results["mohrss-card-application"],
        results["samr-business-licence"],
        results["samr-food-licence"],
    )

    assert card.subject_name_field == "newborn_name" and card.validity_years == 10
    assert results["mohrss-card-issue"].subject_name_field is None
    assert business.number_source == "department" and business.number_pattern is not None
    # A unified social credit code (GB 32100-2015) matches; a made-up number does not.
    assert re.fullmatch(business.number_pattern, "91110108MA01ABCD2X")
    assert not re.fullmatch(business.number_pattern, "X1")
    assert food.validity_years == 5 and food.number_source == "generated"


_PLACEHOLDER = "国发〔2024〕3号"


def test_every_seed_item_cites_a_real_legal_basis_and_says_why_it_is_free() -> None:
    items = [item for matter in SEED.matters for item in matter.items]

    # The placeholder bundles items into key matters but sets none of them up: each item names the act
    # (《…》, a law, regulation or rule) that does; every item is free and cites the rule that makes it so.
    assert len(items) == 53
    assert not [i.code for i in items if not i.legal_bases or _PLACEHOLDER in i.legal_basis]
    assert all(b.law.startswith("《") and _PLACEHOLDER not in b.law for i in items for b in i.legal_bases)
    assert not [
        i.code for i in items if not i.fee.basis.startswith("不收费。依据") and "目录清单" not in i.fee.basis
    ]


def test_the_seed_names_its_demonstration_values_and_has_every_element_publishing_needs() -> None:
    items = {item.code: item for matter in SEED.matters for item in matter.items}

    assert all(
        {"place", "hours", "consultation", "complaint"} <= set(i.demonstration) for i in items.values()
    )
    assert "basis" in items["water-connection"].demonstration  # the act is named, its article is not yet
    assert "basis" not in items["nhc-birth-medical-cert"].demonstration
    assert not [p for matter in SEED.matters for p in missing_elements(matter)]


def test_the_birth_registration_gets_the_birth_certificate_by_data_sharing() -> None:
    items = {item.code: item for matter in SEED.matters for item in matter.items}
    sources = {m.material_type: m.source for m in items["mps-birth-registration"].materials}

    assert sources == {
        "birth_medical_cert": "data_sharing",
        "hukou_book": "government",
        "id_card": "government",
        "marriage_cert": "government",
    }
