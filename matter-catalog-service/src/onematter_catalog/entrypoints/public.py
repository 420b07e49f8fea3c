"""Public reads of the catalog: anyone may call them (the gateway forwards them without a token)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from onematter_kit.errors import NotFoundError
from onematter_kit.paging import Limit, Offset, Page

from onematter_catalog.adapters.repository import MatterFilter
from onematter_catalog.domain.guide import render_guide_html
from onematter_catalog.domain.stages import stage_rows
from onematter_catalog.entrypoints.deps import UowDep
from onematter_catalog.entrypoints.responses import (
    CurrentMatterPublic,
    DepartmentPublic,
    GuidePublic,
    ItemPublic,
    MaterialTypePublic,
    MatterSummaryPublic,
    MatterVersionPublic,
    StagePublic,
)
from onematter_catalog.service_layer import queries

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["catalog"])
Code = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_-]{1,63}$")]
Subject = Literal["individual", "enterprise"]


@router.get("/matters", summary="List published key matters")
async def list_matters(
    uow: UowDep,
    subject: Subject | None = None,
    stage: str | None = None,
    department: str | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of the zh or en name")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[MatterSummaryPublic]:
    where = MatterFilter(subject=subject, stage=stage, department=department, q=q)
    summaries, total = await queries.list_matters(where, limit=limit, offset=offset, uow=uow)
    items = [MatterSummaryPublic.model_validate(s) for s in summaries]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/stages", summary="Life and business stages, in order, with their published matters' count")
async def list_stages(
    uow: UowDep, subject: Subject | None = None, limit: Limit = 100, offset: Offset = 0
) -> Page[StagePublic]:
    """Browse by stage: ``GET /api/v1/matters?stage=<code>`` lists a stage's matters."""
    rows = stage_rows(await queries.stage_counts(uow=uow), subject=subject)
    items = [StagePublic.model_validate(row) for row in rows[offset : offset + limit]]
    return Page(items=items, total=len(rows), limit=limit, offset=offset)


@router.get("/matters/{code}", summary="A key matter's current published version")
async def get_matter(code: Code, uow: UowDep) -> CurrentMatterPublic:
    return CurrentMatterPublic.model_validate(await queries.current_version(code, uow=uow))


@router.get("/matters/{code}/versions/{number}", summary="One published version, exactly as published")
async def get_version(
    code: Code, number: Annotated[int, Path(ge=1, le=2**31 - 1)], uow: UowDep
) -> MatterVersionPublic:
    return MatterVersionPublic.model_validate(await queries.version(code, number, uow=uow))


@router.get(
    "/matters/{code}/guide",
    summary="The one-time guide (一次告知); HTML when Accept asks for text/html",
    description="情形引导: answer the matter's questions in the query, one parameter per question key and "
    "one value per chosen option (``?hukou_place=local&wants=vaccination&wants=social_security_card``; an "
    "empty value answers a multiple-choice question with none). With answers, the guide, its one form and "
    "its materials are tailored to them; every question must then be answered (422 naming the others).",
    response_model=GuidePublic,
    responses={200: {"content": {"text/html": {}}}},
)
async def get_guide(code: Code, request: Request, uow: UowDep) -> GuidePublic | HTMLResponse:
    guide = await queries.guide(code, answers=_answers(request), uow=uow)
    if "text/html" in request.headers.get("accept", ""):
        return HTMLResponse(render_guide_html(guide))
    return GuidePublic.model_validate(guide)


def _answers(request: Request) -> dict[str, list[str]] | None:
    """The query's answers (question key → chosen options); None when the query has none."""
    params = request.query_params
    if not params:
        return None
    return {key: [v for v in params.getlist(key) if v] for key in params}


@router.get("/departments", summary="Departments")
async def list_departments(uow: UowDep, limit: Limit = 20, offset: Offset = 0) -> Page[DepartmentPublic]:
    departments = await queries.departments(uow=uow)
    items = [DepartmentPublic.model_validate(d.model_dump()) for d in departments[offset : offset + limit]]
    return Page(items=items, total=len(departments), limit=limit, offset=offset)


@router.get("/departments/{code}", summary="One department")
async def get_department(code: str, uow: UowDep) -> DepartmentPublic:
    found = [d for d in await queries.departments(uow=uow) if d.code == code]
    if not found:
        raise NotFoundError(f"No department {code!r}.")
    return DepartmentPublic.model_validate(found[0].model_dump())


@router.get("/material-types", summary="Material types")
async def list_material_types(uow: UowDep, limit: Limit = 20, offset: Offset = 0) -> Page[MaterialTypePublic]:
    types = await queries.material_types(uow=uow)
    items = [MaterialTypePublic.model_validate(t.model_dump()) for t in types[offset : offset + limit]]
    return Page(items=items, total=len(types), limit=limit, offset=offset)


@router.get("/items/{code}", summary="A service item's published definition")
async def get_item(code: Code, uow: UowDep) -> ItemPublic:
    return ItemPublic.model_validate(await queries.item(code, uow=uow))
