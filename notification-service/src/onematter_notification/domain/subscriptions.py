"""Webhook subscriptions (rules): who may subscribe for which department, who sees a subscription, and
where the outcome of a delivery is reported.

A subscription is a department's (or, for admins, every department's) events of some types, POSTed to a
callback URL and signed with a secret shown once.
"""

from __future__ import annotations

import secrets

from onematter_kit.errors import ForbiddenError
from onematter_kit.identity import Principal, Role

from onematter_notification.domain.recipients import department_inbox, role_inbox

__all__ = ["failure_inbox", "new_secret", "outcome_recipient", "subscription_department", "visible_to"]


def new_secret() -> str:
    """32 random bytes, shown to the subscriber once and kept only for signing."""
    return "whsec_" + secrets.token_hex(32)


def subscription_department(principal: Principal, requested: str | None) -> str | None:
    """The department a new subscription is for: admins choose any (or none = all), officers only their
    own; 403 for an officer asking for another department or a caller without one."""
    if principal.has(Role.admin):
        return requested
    own: str | None = principal.department
    if not own:
        raise ForbiddenError("Only an officer of a department may subscribe to its events.")
    if requested not in (None, own):
        raise ForbiddenError("Officers may subscribe only to their own department's events.")
    return own


def visible_to(principal: Principal, *, department: str | None) -> bool:
    """Admins see every subscription; officers those of their own department."""
    return principal.has(Role.admin) or (department is not None and department == principal.department)


def outcome_recipient(*, target_key: str, subscription_id: str | None, department: str | None) -> str:
    """Whom ``notification.delivered/failed`` concerns: the department's inbox for its webhooks, the
    subscription for an all-departments one, else the message's recipient."""
    if subscription_id is None:
        return target_key
    return department_inbox(department) if department else f"subscription:{subscription_id}"


def failure_inbox(department: str | None) -> str:
    """Where a webhook that failed for good is reported: its department, or the admins for a global one."""
    return department_inbox(department) if department else role_inbox(Role.admin)
