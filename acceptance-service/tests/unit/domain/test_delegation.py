"""Delegation rules (issue 16, bullet 1): scope, validity, one-time code, in-person check, revocation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from onematter_acceptance.domain.delegation import (
    MAX_ATTEMPTS,
    Delegation,
    DelegationProblem,
    IdentityCheck,
    Terms,
    hash_secret,
    mask_document_number,
)

NOW = datetime(2026, 11, 30, 2, tzinfo=UTC)  # 10:00 in Beijing


def _terms(**changes) -> Terms:
    values = {
        "applicant_id": "zhangsan",
        "delegate_id": "clerk01",
        "matter_codes": ("newborn-birth",),
        "actions": frozenset({"read"}),
        "valid_until": NOW + timedelta(days=1),
    } | changes
    return Terms(**values)


def test_a_granted_delegation_permits_only_its_delegate_matters_actions_and_time():
    delegation = Delegation.granted(id="d1", terms=_terms(), now=NOW)

    assert delegation.permits("clerk01", matter_code="newborn-birth", action="read", now=NOW)
    assert not delegation.permits("clerk02", matter_code="newborn-birth", action="read", now=NOW)
    assert not delegation.permits("clerk01", matter_code="retirement", action="read", now=NOW)
    assert not delegation.permits("clerk01", matter_code="newborn-birth", action="submit", now=NOW)
    assert not delegation.permits(
        "clerk01", matter_code="newborn-birth", action="read", now=NOW + timedelta(days=1)
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"delegate_id": "zhangsan"},
        {"matter_codes": ()},
        {"actions": frozenset()},
        {"valid_until": NOW},
        {"valid_until": NOW + timedelta(days=400)},
    ],
)
def test_terms_that_break_a_rule_are_refused(changes):
    with pytest.raises(DelegationProblem):
        Delegation.granted(id="d1", terms=_terms(**changes), now=NOW)


def test_a_requested_delegation_is_pending_and_stores_only_the_codes_hash():
    delegation = Delegation.requested(id="d1", terms=_terms(), code="123456", now=NOW)

    assert delegation.status == "pending"
    assert delegation.code_hash == hash_secret("123456", salt="d1") and "123456" not in repr(vars(delegation))
    assert not delegation.permits("clerk01", matter_code="newborn-birth", action="read", now=NOW)


def test_the_right_code_in_time_puts_it_in_force_and_forgets_the_hash():
    delegation = Delegation.requested(id="d1", terms=_terms(), code="123456", now=NOW)

    assert delegation.confirm("123456", now=NOW + timedelta(minutes=9))

    assert delegation.status == "active" and delegation.code_hash is None
    assert delegation.permits("clerk01", matter_code="newborn-birth", action="read", now=NOW)


def test_a_late_code_is_refused_even_when_right():
    delegation = Delegation.requested(id="d1", terms=_terms(), code="123456", now=NOW)

    assert not delegation.confirm("123456", now=NOW + timedelta(minutes=11))
    assert delegation.status == "refused"


def test_too_many_wrong_codes_close_the_request():
    delegation = Delegation.requested(id="d1", terms=_terms(), code="123456", now=NOW)

    for _ in range(MAX_ATTEMPTS - 1):
        assert not delegation.confirm("000000", now=NOW)
    assert delegation.status == "pending"
    assert not delegation.confirm("000000", now=NOW)

    assert delegation.status == "refused"
    with pytest.raises(DelegationProblem):
        delegation.confirm("123456", now=NOW)


def test_an_in_person_check_needs_a_witness_other_than_the_clerk_and_masks_the_number():
    number = "110101199003071234"
    check = IdentityCheck(
        document_type="resident_id_card",
        number_masked=mask_document_number(number),
        number_hash=hash_secret(number, salt="d1"),
        witness_id="clerk02",
        checked_by="clerk01",
        checked_at=NOW,
    )

    delegation = Delegation.checked_in_person(id="d1", terms=_terms(), check=check)

    assert delegation.status == "active" and delegation.confirmed_by == "in_person"
    assert check.number_masked == "1101**********1234"
    with pytest.raises(DelegationProblem):
        Delegation.checked_in_person(
            id="d2", terms=_terms(), check=IdentityCheck(**{**vars(check), "witness_id": "clerk01"})
        )


def test_a_revoked_delegation_permits_nothing():
    delegation = Delegation.granted(id="d1", terms=_terms(), now=NOW)

    delegation.revoke(now=NOW)

    assert delegation.status == "revoked" and delegation.revoked_at == NOW
    assert not delegation.permits("clerk01", matter_code="newborn-birth", action="read", now=NOW)
