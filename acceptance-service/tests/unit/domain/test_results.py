"""办理结果 on approval: the officer may only confirm what the item declares (issue 16, bullet 2)."""

from __future__ import annotations

from datetime import date

import pytest
from onematter_acceptance.domain.results import (
    AskedLicence,
    LicenceNotAllowed,
    LicenceNotDeclared,
    licence_on_approval,
    valid_until_by_rule,
)
from onematter_events.matters import ItemResult

# The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters without I, O, S, V, Z.
USCC = r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"
BUSINESS = ItemResult(licence_type="business_licence", number_source="department", number_pattern=USCC)
CARD = ItemResult(
    licence_type="social_security_card",
    number_prefix="SBK",
    validity_years=10,
    subject_name_field="newborn_name",
)
ON = date(2026, 12, 1)


def _decide(result: ItemResult | None, asked: AskedLicence, *, approved: bool = True, form=None):  # type: ignore[no-untyped-def]
    return licence_on_approval(result, asked, approved=approved, issued_on=ON, form=form or {})


def test_an_approval_issues_the_declared_licence_about_the_subject_named_in_the_form() -> None:
    licence = _decide(CARD, AskedLicence(), form={"newborn_name": "张小宝", "applicant_name": "张三"})

    assert licence is not None and licence.result.licence_type == "social_security_card"
    assert (licence.number, licence.valid_until, licence.subject_name) == (None, date(2036, 12, 1), "张小宝")


def test_a_type_the_item_does_not_declare_is_refused() -> None:
    with pytest.raises(LicenceNotDeclared):
        _decide(CARD, AskedLicence(licence_type="marriage_cert"))
    with pytest.raises(LicenceNotDeclared):
        _decide(None, AskedLicence(licence_type="marriage_cert"))


def test_an_item_without_a_result_issues_nothing() -> None:
    assert _decide(None, AskedLicence()) is None


def test_a_rejection_issues_nothing_and_names_no_licence() -> None:
    assert _decide(CARD, AskedLicence(), approved=False) is None
    with pytest.raises(LicenceNotDeclared):
        _decide(CARD, AskedLicence(licence_type="social_security_card"), approved=False)


def test_the_department_supplies_a_number_matching_the_items_pattern() -> None:
    licence = _decide(BUSINESS, AskedLicence(licence_number="91110108MA01ABCD2X"))

    assert licence is not None and licence.number == "91110108MA01ABCD2X" and licence.valid_until is None
    for number in (None, "X1", "91110108MA01ABCD2XX", "9111010SMA01ABCD2X"):
        with pytest.raises(LicenceNotAllowed):
            _decide(BUSINESS, AskedLicence(licence_number=number))


def test_a_generated_number_cannot_be_supplied() -> None:
    with pytest.raises(LicenceNotAllowed) as refused:
        _decide(CARD, AskedLicence(licence_number="SBK-1"))

    assert refused.value.field == "licence_number"


def test_a_validity_may_be_shortened_within_the_rule_never_extended_nor_set_on_a_permanent_licence() -> None:
    shorter = _decide(CARD, AskedLicence(valid_until=date(2030, 6, 30)))

    assert shorter is not None and shorter.valid_until == date(2030, 6, 30)
    for asked, result in (
        (date(2036, 12, 2), CARD),
        (date(2026, 11, 30), CARD),
        (date(2099, 12, 31), BUSINESS),
    ):
        with pytest.raises(LicenceNotAllowed):
            _decide(result, AskedLicence(valid_until=asked, licence_number="91110108MA01ABCD2X"))


def test_a_licence_issued_on_29_february_runs_to_28_february() -> None:
    assert valid_until_by_rule(CARD, issued_on=date(2028, 2, 29)) == date(2038, 2, 28)
