"""The hotline's unit of work: the kit's SQL unit of work and the hotline's repositories."""

from __future__ import annotations

from typing import Self

from onematter_kit.unit_of_work import SqlUnitOfWork

from onematter_hotline.adapters.repository import (
    DispatchRuleRepository,
    KnowledgeRepository,
    RequestRepository,
)

__all__ = ["HotlineUnitOfWork"]


class HotlineUnitOfWork(SqlUnitOfWork):
    requests: RequestRepository
    knowledge: KnowledgeRepository
    rules: DispatchRuleRepository

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.requests = RequestRepository(self.session)
        self.knowledge = KnowledgeRepository(self.session)
        self.rules = DispatchRuleRepository(self.session)
        return self
