"""帮办代办 in the owner's locker: whose locker a delegate's upload goes to (checked with the acceptance
service), and the access-log lines of what a delegate did under a delegation (``delegation.used``).

``on_delegation_used`` is an event handler ``handler(event, uow)``: the kit's idempotent consumer opens
the unit of work, records the event id and commits, so it never commits itself.
"""

from __future__ import annotations

import re
from datetime import datetime

from onematter_events import CloudEvent, parse_payload
from onematter_events.delegations import DelegationUsed
from onematter_kit.identity import Principal, Role

from onematter_material.adapters.delegation_client import DelegationClient
from onematter_material.domain.delegations import delegated_owner
from onematter_material.domain.materials import AccessAction, access_entry, locker_owner
from onematter_material.service_layer.unit_of_work import MaterialUnitOfWork

__all__ = ["locker_for", "on_delegation_used"]

_DELEGATION_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
_ACTIONS = {
    "prefill": AccessAction.delegated_read,
    "submit": AccessAction.submitted,
    "answer": AccessAction.answered,
    "withdraw": AccessAction.withdrawn,
}


async def locker_for(
    caller: Principal,
    *,
    on_behalf_of: str | None,
    delegation_id: str | None,
    delegations: DelegationClient,
    now: datetime,
) -> tuple[Principal, str | None]:
    """The locker's owner and the delegation the upload happens under (``None``: the owner's own upload).

    422 for a clerk naming nobody; 403 for anyone naming another person unless ``delegation_id`` names a
    delegation in force for the caller, the named applicant and ``submit``. An enterprise's legal
    representative (法定代表人, asserted by the identity provider) uploads into its locker without one."""
    if not on_behalf_of or on_behalf_of == caller.subject:
        return locker_owner(caller, on_behalf_of), None
    if caller.has(Role.applicant) and caller.represents(on_behalf_of):
        return Principal(
            subject=on_behalf_of, roles=frozenset({Role.applicant}), applicant_kind="enterprise"
        ), None
    # Delegation ids are UUIDs: anything else names no delegation (403), and never reaches a URL.
    wellformed = delegation_id is not None and _DELEGATION_ID.fullmatch(delegation_id) is not None
    facts = await delegations.get(caller, delegation_id) if delegation_id and wellformed else None
    return delegated_owner(caller, on_behalf_of=on_behalf_of, delegation=facts, now=now), delegation_id


async def on_delegation_used(event: CloudEvent, uow: MaterialUnitOfWork) -> None:
    """One access-log line per material of the applicant the delegate read or submitted with; ids that
    are not the applicant's are skipped (acceptance checked them; they cannot name someone else's)."""
    used = parse_payload(event)
    if not isinstance(used, DelegationUsed):  # the consumer routes by type; anything else is wiring
        raise TypeError(f"{event.type} does not carry DelegationUsed")
    delegate = Principal(subject=used.delegate_id, roles=frozenset({Role.clerk}))
    for material_id in used.material_ids:
        material = await uow.materials.owned(material_id, owner_id=used.applicant_id)
        entry = (
            None
            if material is None
            else access_entry(
                material=material,
                reader=delegate,
                task_id=None,
                action=_ACTIONS[used.what],
                at=used.used_at,
                delegation_id=used.delegation_id,
            )
        )
        if entry is not None:
            uow.access_log.add(entry)
