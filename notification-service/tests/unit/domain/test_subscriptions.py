"""Subscription rules: which department, who sees it, where outcomes and failures are reported."""

from __future__ import annotations

import pytest
from onematter_kit.errors import ForbiddenError
from onematter_kit.identity import Role
from onematter_notification.domain.subscriptions import (
    failure_inbox,
    new_secret,
    outcome_recipient,
    subscription_department,
    visible_to,
)
from onematter_testkit import make_principal

ADMIN = make_principal("admin", Role.admin)
OFFICER = make_principal("o1", Role.officer, department="nhc")


def test_an_admin_subscribes_for_any_department_or_for_all() -> None:
    assert subscription_department(ADMIN, "mps") == "mps"
    assert subscription_department(ADMIN, None) is None


def test_an_officer_subscribes_only_for_its_own_department() -> None:
    assert subscription_department(OFFICER, None) == "nhc"
    assert subscription_department(OFFICER, "nhc") == "nhc"
    with pytest.raises(ForbiddenError):
        subscription_department(OFFICER, "mps")
    with pytest.raises(ForbiddenError):
        subscription_department(make_principal("o2", Role.officer), None)


def test_officers_see_their_departments_subscriptions_and_admins_every_one() -> None:
    assert visible_to(OFFICER, department="nhc") and not visible_to(OFFICER, department="mps")
    assert not visible_to(OFFICER, department=None)
    assert not visible_to(make_principal("o2", Role.officer), department=None)
    assert visible_to(ADMIN, department=None) and visible_to(ADMIN, department="mps")


def test_secrets_are_long_random_and_recognisable() -> None:
    secrets = {new_secret() for _ in range(100)}
    assert len(secrets) == 100 and all(s.startswith("whsec_") and len(s) == 70 for s in secrets)


def test_an_outcome_concerns_the_department_the_subscription_or_the_recipient() -> None:
    assert outcome_recipient(target_key="s1", subscription_id="s1", department="nhc") == "dept:nhc"
    assert outcome_recipient(target_key="s1", subscription_id="s1", department=None) == "subscription:s1"
    assert outcome_recipient(target_key="user:u1", subscription_id=None, department=None) == "user:u1"


def test_a_failed_webhook_is_reported_to_its_department_or_to_the_admins() -> None:
    assert failure_inbox("nhc") == "dept:nhc" and failure_inbox(None) == "role:admin"
