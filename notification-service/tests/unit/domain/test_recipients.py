"""Inboxes: which a caller may read."""

from __future__ import annotations

from onematter_kit.identity import Role
from onematter_notification.domain.recipients import inboxes_of
from onematter_testkit import make_principal


def test_an_officer_reads_their_department_inbox_and_an_applicant_only_their_own() -> None:
    assert inboxes_of(make_principal("o", Role.officer, department="gaj")) == ["user:o", "dept:gaj"]
    assert inboxes_of(make_principal("u", Role.applicant)) == ["user:u"]
