"""Routes of the knowledge base (知识库) and the dispatch catalogue (派单目录)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from onematter_kit.identity import Role
from onematter_kit.internal_auth import require_roles

from onematter_hotline.entrypoints import schemas as s
from onematter_hotline.entrypoints.deps import Collaborators, UowDep
from onematter_hotline.service_layer import commands as c
from onematter_hotline.service_layer import knowledge as kb

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/hotline", tags=["knowledge"])
_SEATS = require_roles(Role.hotline_operator, Role.hotline_dispatcher)
_CATALOGUE_KEEPERS = require_roles(Role.hotline_dispatcher, Role.admin)


@router.get("/knowledge", response_model=list[s.KnowledgePublic], dependencies=[_SEATS])
async def search(
    q: Annotated[str, Query(min_length=1, max_length=200)], uow: UowDep, tools: Collaborators
) -> list[s.KnowledgePublic]:
    """Entries best first, by the share of the query's segmented words (jieba) they contain."""
    found = await kb.search(q, uow, segmenter=tools["segmenter"])
    return [
        s.KnowledgePublic(
            id=f.entry.id, source=f.entry.source, title=f.entry.title, body=f.entry.body, score=f.score
        )
        for f in found
    ]


@router.post("/knowledge", status_code=201, response_model=s.KnowledgePublic, dependencies=[_SEATS])
async def add(body: s.KnowledgeCreate, uow: UowDep, tools: Collaborators) -> s.KnowledgePublic:
    entry = await kb.add_knowledge(
        c.AddKnowledge(title=body.title, body=body.body), uow, segmenter=tools["segmenter"]
    )
    return s.KnowledgePublic(id=entry.id, source=entry.source, title=entry.title, body=entry.body)


@router.put("/dispatch-rules", response_model=list[s.DispatchRulePublic], dependencies=[_CATALOGUE_KEEPERS])
async def put_rule(body: s.DispatchRulePublic, uow: UowDep) -> list[s.DispatchRulePublic]:
    """Set the office for a category in a region (a county's rule wins over its city's and province's)."""
    rules = await kb.put_rule(
        c.PutDispatchRule(category=body.category, region=body.region, office=body.office), uow
    )
    return [s.DispatchRulePublic(category=k[0], region=k[1], office=v) for k, v in rules.items()]
