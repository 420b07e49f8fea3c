"""An in-memory :class:`DelegationRepository`: hands out copies; ``commit`` stores what was handed out or
added, ``rollback`` forgets it (like the SQL unit of work)."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import TYPE_CHECKING

from onematter_acceptance.adapters.delegations import DelegationRepository
from onematter_acceptance.domain.delegation import Action, Delegation, Terms
from onematter_testkit import random_id

if TYPE_CHECKING:
    from acceptance_fakes import FakeAcceptanceUnitOfWork


class FakeDelegationRepository(DelegationRepository):
    def __init__(self) -> None:
        self.stored: dict[str, Delegation] = {}
        self._pending: dict[str, Delegation] = {}

    def add(self, delegation: Delegation) -> None:
        self._pending[delegation.id] = delegation

    async def get(self, delegation_id: str, *, lock: bool = False) -> Delegation | None:
        found = self.stored.get(delegation_id)
        return None if found is None else self._pending.setdefault(delegation_id, copy.deepcopy(found))

    async def involving(self, person: str) -> list[Delegation]:
        mine = [d for d in self.stored.values() if person in (d.terms.applicant_id, d.terms.delegate_id)]
        return [copy.deepcopy(d) for d in sorted(mine, key=lambda d: d.created_at, reverse=True)]

    async def between(self, applicant_id: str, delegate_id: str) -> list[Delegation]:
        return [
            copy.deepcopy(d)
            for d in self.stored.values()
            if (d.terms.applicant_id, d.terms.delegate_id) == (applicant_id, delegate_id)
        ]

    def commit(self) -> None:
        self.stored |= self._pending
        self._pending = {}

    def rollback(self) -> None:
        self._pending = {}


def delegation_in_force(
    uow: FakeAcceptanceUnitOfWork,
    *,
    applicant: str,
    delegate: str,
    matters: tuple[str, ...] = ("newborn-birth",),
    actions: tuple[Action, ...] = ("read", "submit"),
) -> Delegation:
    """A delegation the applicant granted, stored (committed) in ``uow``, valid for 30 days."""
    now = uow.clock.now()
    terms = Terms(
        applicant_id=applicant,
        delegate_id=delegate,
        matter_codes=matters,
        actions=frozenset(actions),
        valid_until=now + timedelta(days=30),
    )
    delegation = Delegation.granted(id=random_id("delegation"), terms=terms, now=now)
    uow.fake_delegations.stored[delegation.id] = delegation
    return delegation
