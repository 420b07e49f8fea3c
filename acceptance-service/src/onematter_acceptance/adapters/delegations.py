"""Delegations (委托) on SQL, and the repository interface the handlers (and the fakes) see.

Delegations handed out by ``get`` are written back to their rows when the unit of work commits.
"""

from __future__ import annotations

import abc
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from onematter_acceptance.adapters.delegation_tables import DelegationRow
from onematter_acceptance.domain.delegation import Delegation, IdentityCheck, Terms

__all__ = ["DelegationRepository", "SqlDelegationRepository"]


class DelegationRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, delegation: Delegation) -> None: ...

    @abc.abstractmethod
    async def get(self, delegation_id: str, *, lock: bool = False) -> Delegation | None: ...

    @abc.abstractmethod
    async def involving(self, person: str) -> list[Delegation]:
        """Granted by ``person`` or to ``person``, newest first."""

    @abc.abstractmethod
    async def between(self, applicant_id: str, delegate_id: str) -> list[Delegation]:
        """Every delegation ``applicant_id`` granted (or was asked for) to ``delegate_id``."""


class SqlDelegationRepository(DelegationRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._seen: list[tuple[Delegation, DelegationRow]] = []

    def add(self, delegation: Delegation) -> None:
        self.session.add(DelegationRow(**_row_values(delegation)))

    async def get(self, delegation_id: str, *, lock: bool = False) -> Delegation | None:
        statement = select(DelegationRow).where(col(DelegationRow.id) == delegation_id)
        if lock:
            statement = statement.with_for_update()
        row = (await self.session.scalars(statement)).first()
        if row is None:
            return None
        delegation = _to_domain(row)
        self._seen.append((delegation, row))
        return delegation

    async def involving(self, person: str) -> list[Delegation]:
        statement = (
            select(DelegationRow)
            .where(or_(col(DelegationRow.applicant_id) == person, col(DelegationRow.delegate_id) == person))
            .order_by(col(DelegationRow.created_at).desc())
            .limit(200)
        )
        return [_to_domain(row) for row in await self.session.scalars(statement)]

    async def between(self, applicant_id: str, delegate_id: str) -> list[Delegation]:
        statement = select(DelegationRow).where(
            col(DelegationRow.applicant_id) == applicant_id, col(DelegationRow.delegate_id) == delegate_id
        )
        return [_to_domain(row) for row in await self.session.scalars(statement)]

    def sync(self) -> None:
        for delegation, row in self._seen:
            for key, value in _row_values(delegation).items():
                setattr(row, key, value)


def _row_values(d: Delegation) -> dict[str, Any]:
    check = d.identity_check
    return {
        "id": d.id,
        "applicant_id": d.terms.applicant_id,
        "delegate_id": d.terms.delegate_id,
        "matter_codes": list(d.terms.matter_codes),
        "actions": sorted(d.terms.actions),
        "valid_until": d.terms.valid_until,
        "status": d.status,
        "confirmed_by": d.confirmed_by,
        "created_by": d.created_by,
        "created_at": d.created_at,
        "confirmed_at": d.confirmed_at,
        "revoked_at": d.revoked_at,
        "code_hash": d.code_hash,
        "code_expires_at": d.code_expires_at,
        "attempts": d.attempts,
        "identity_check": None
        if check is None
        else {**vars(check), "checked_at": check.checked_at.isoformat()},
    }


def _to_domain(row: DelegationRow) -> Delegation:
    check = row.identity_check
    terms = Terms(
        applicant_id=row.applicant_id,
        delegate_id=row.delegate_id,
        matter_codes=tuple(row.matter_codes),
        actions=frozenset(row.actions),  # type: ignore[arg-type]  # only read/submit are ever stored
        valid_until=row.valid_until,
    )
    return Delegation(
        id=row.id,
        terms=terms,
        status=row.status,  # type: ignore[arg-type]
        confirmed_by=row.confirmed_by,  # type: ignore[arg-type]
        created_by=row.created_by,
        created_at=row.created_at,
        confirmed_at=row.confirmed_at,
        revoked_at=row.revoked_at,
        code_hash=row.code_hash,
        code_expires_at=row.code_expires_at,
        attempts=row.attempts,
        identity_check=None
        if check is None
        else IdentityCheck(**{**check, "checked_at": datetime.fromisoformat(check["checked_at"])}),
    )
