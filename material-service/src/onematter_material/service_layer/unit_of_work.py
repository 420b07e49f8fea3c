"""The material service's unit of work: the kit's (one transaction, its events in the outbox, the clock),
plus the repositories a handler loads and stores through.

Handlers type against :class:`MaterialUnitOfWork`; the runtime builds :class:`SqlMaterialUnitOfWork`, and
handler tests a fake with in-memory repositories.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from onematter_clock import Clock
from onematter_kit.unit_of_work import AbstractUnitOfWork, SqlUnitOfWork

from onematter_material.adapters.repositories import (
    AccessLogRepository,
    BlobRepository,
    GrantRepository,
    LicenceRepository,
    MaterialRepository,
)
from onematter_material.adapters.sql_repositories import (
    SqlAccessLogRepository,
    SqlBlobRepository,
    SqlGrantRepository,
    SqlLicenceRepository,
    SqlMaterialRepository,
)

__all__ = ["MaterialUnitOfWork", "SqlMaterialUnitOfWork"]


class MaterialUnitOfWork(AbstractUnitOfWork):
    """What a handler sees: the repositories, ``clock`` (now, and today in China), ``emit`` and ``commit``."""

    clock: Clock
    materials: MaterialRepository
    blobs: BlobRepository
    grants: GrantRepository
    licences: LicenceRepository
    access_log: AccessLogRepository


class SqlMaterialUnitOfWork(SqlUnitOfWork, MaterialUnitOfWork):
    """The repositories on the unit of work's session, built anew each time it is entered.

    What a handler returns stays readable after the block: rows are detached as they are (a snapshot)
    before the closing rollback, which would otherwise expire them for a session that is gone."""

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.materials = SqlMaterialRepository(self.session)
        self.blobs = SqlBlobRepository(self.session)
        self.grants = SqlGrantRepository(self.session)
        self.licences = SqlLicenceRepository(self.session)
        self.access_log = SqlAccessLogRepository(self.session)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.session.expunge_all()
        await super().__aexit__(exc_type, exc, tb)
