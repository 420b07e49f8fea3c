"""Who acts for whom (帮办代办): the caller itself, or — naming another applicant — only a delegate under a
delegation in force for that matter and action. Everything done under a delegation is told to the
applicant's access log (``delegation.used``, recorded by the material service, "who read my materials").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from onematter_events import CloudEvent, new_event
from onematter_events import delegations as ev
from onematter_kit.errors import ForbiddenError, ValidationProblem
from onematter_kit.identity import Principal, Role

from onematter_acceptance.domain.delegation import Action, Delegation
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["Acting", "What", "acting_for", "used"]

#: What was done under the delegation: form values, licences and earlier materials read, or a submission.
What = Literal["prefill", "submit"]


@dataclass(frozen=True)
class Acting:
    """The applicant acted for, and the delegation it happens under (``None``: the applicant itself)."""

    applicant: Principal
    delegation: Delegation | None


async def acting_for(
    uow: AcceptanceUnitOfWork,
    caller: Principal,
    on_behalf_of: str | None,
    *,
    matter_code: str,
    action: Action,
) -> Acting:
    """422 for a clerk naming nobody; 403 (problem+json) unless a delegation is in force for this caller,
    applicant, matter and action; 403 for roles that neither apply nor act for applicants."""
    if not (caller.has(Role.clerk) or caller.has(Role.applicant)):
        raise ForbiddenError("Only applicants and their delegates act on applications.")
    if not on_behalf_of or on_behalf_of == caller.subject:
        if caller.has(Role.applicant):
            return Acting(caller, None)
        raise ValidationProblem(
            "A clerk acts for an applicant.",
            errors=[{"field": "on_behalf_of", "message": "is required for a clerk"}],
        )
    async with uow:
        granted = await uow.delegations.between(on_behalf_of, caller.subject)
    now = uow.clock.now()
    delegation = next(
        (d for d in granted if d.permits(caller.subject, matter_code=matter_code, action=action, now=now)),
        None,
    )
    if delegation is None:
        raise ForbiddenError(
            f"No delegation in force lets you {action} for this applicant on matter {matter_code}; "
            "ask the applicant to grant one (a one-time code or an in-person check at the window)."
        )
    applicant = Principal(subject=on_behalf_of, roles=frozenset({Role.applicant}))
    return Acting(applicant, delegation)


def used(
    delegation: Delegation,
    *,
    what: What,
    matter_code: str,
    at: datetime,
    material_ids: list[str],
    acceptance_number: str | None = None,
) -> CloudEvent:
    """``delegation.used`` for the applicant's access log (who, which delegation, when, what)."""
    payload = ev.DelegationUsed(
        delegation_id=delegation.id,
        applicant_id=delegation.terms.applicant_id,
        delegate_id=delegation.terms.delegate_id,
        what=what,
        matter_code=matter_code,
        acceptance_number=acceptance_number,
        material_ids=sorted(set(material_ids)),
        used_at=at,
    )
    return new_event(ev.DELEGATION_USED, payload, subject=delegation.id)
