"""Public reads of the catalog: anyone may call them (the gateway forwards them without a token)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from onematter_kit.errors import NotFoundError

from onematter_catalog.adapters.repository import MatterFilter
from onematter_catalog.domain.guide import render_guide_html
from onematter_catalog.domain.stages import stage_rows
from onematter_catalog.entrypoints.deps import Limit, Offset, UowDep
from onematter_catalog.service_layer import queries

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["catalog"])
Code = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_-]{1,63}$")]


@router.get("/matters", summary="List published key matters")
async def list_matters(
    uow: UowDep,
    subject: Literal["individual", "enterprise"] | None = None,
    stage: str | None = None,
    department: str | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of the zh or en name")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    where = MatterFilter(subject=subject, stage=stage, department=department, q=q)
    return await queries.list_matters(where, limit=limit, offset=offset, uow=uow)


@router.get("/stages", summary="Life and business stages, in order, with their published matters' count")
async def list_stages(
    uow: UowDep,
    subject: Literal["individual", "enterprise"] | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Browse by stage: ``GET /api/v1/matters?stage=<code>`` lists a stage's matters."""
    async with uow:
        counts = await uow.catalog.stage_counts()
    rows = stage_rows(counts, subject=subject)
    return {"items": rows[offset : offset + limit], "total": len(rows), "limit": limit, "offset": offset}


@router.get("/matters/{code}", summary="A key matter's current published version")
async def get_matter(code: Code, uow: UowDep) -> dict[str, Any]:
    return await queries.current_version(code, uow=uow)


@router.get("/matters/{code}/versions/{number}", summary="One published version, exactly as published")
async def get_version(
    code: Code, number: Annotated[int, Path(ge=1, le=2**31 - 1)], uow: UowDep
) -> dict[str, Any]:
    return await queries.version(code, number, uow=uow)


@router.get(
    "/matters/{code}/guide",
    summary="The one-time guide (一次告知); HTML when Accept asks for text/html",
    responses={200: {"content": {"text/html": {}}}},
)
async def get_guide(code: Code, request: Request, uow: UowDep) -> Any:
    guide = await queries.guide(code, uow=uow)
    if "text/html" in request.headers.get("accept", ""):
        return HTMLResponse(render_guide_html(guide))
    return guide


@router.get("/departments", summary="Departments")
async def list_departments(uow: UowDep, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
    async with uow:
        departments = list((await uow.catalog.departments()).values())
    page = departments[offset : offset + limit]
    return {
        "items": [d.model_dump() for d in page],
        "total": len(departments),
        "limit": limit,
        "offset": offset,
    }


@router.get("/departments/{code}", summary="One department")
async def get_department(code: str, uow: UowDep) -> dict[str, Any]:
    async with uow:
        department = (await uow.catalog.departments()).get(code)
    if department is None:
        raise NotFoundError(f"No department {code!r}.")
    return department.model_dump()


@router.get("/material-types", summary="Material types")
async def list_material_types(uow: UowDep, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
    async with uow:
        types = list((await uow.catalog.material_types()).values())
    page = types[offset : offset + limit]
    return {"items": [t.model_dump() for t in page], "total": len(types), "limit": limit, "offset": offset}


@router.get("/items/{code}", summary="A service item's published definition")
async def get_item(code: Code, uow: UowDep) -> dict[str, Any]:
    return await queries.item(code, uow=uow)
