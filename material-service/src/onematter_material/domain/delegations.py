"""帮办代办 into the owner's locker: a delegate (a window clerk, an agent) uploads for an applicant only
under a delegation (委托) in force that the applicant granted with ``submit`` (issue 16, bullet 1).

The delegation lives in the acceptance service; :class:`DelegationFacts` is what it answered when asked
(``GET /api/v1/delegations/{id}`` as the delegate), ``None`` when it answered 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from onematter_kit.errors import ForbiddenError
from onematter_kit.identity import Principal, Role

__all__ = ["DelegationFacts", "delegated_owner"]


@dataclass(frozen=True, kw_only=True)
class DelegationFacts:
    id: str
    applicant_id: str
    delegate_id: str
    actions: frozenset[str]
    status: str
    valid_until: datetime


def delegated_owner(
    caller: Principal, *, on_behalf_of: str, delegation: DelegationFacts | None, now: datetime
) -> Principal:
    """The applicant whose locker a delegate uploads into; 403 unless the delegation (``None``: none named,
    or not the caller's) is active at ``now``, granted by ``on_behalf_of`` to the caller, with ``submit``."""
    if delegation is None:
        raise ForbiddenError(
            "Uploading for an applicant needs a delegation in force that they granted to you."
        )
    in_force = (
        delegation.status == "active"
        and delegation.delegate_id == caller.subject
        and delegation.applicant_id == on_behalf_of
        and "submit" in delegation.actions
        and now < delegation.valid_until
    )
    if not in_force:
        raise ForbiddenError("This delegation does not let you upload for this applicant (now).")
    return Principal(subject=on_behalf_of, roles=frozenset({Role.applicant}))
