"""Admin writes: drafts, publishing, retiring. Only ``admin`` (the gateway checks it too)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status
from onematter_kit.errors import ValidationProblem
from onematter_kit.identity import Role
from onematter_kit.internal_auth import require_roles

from onematter_catalog.entrypoints.deps import UowDep
from onematter_catalog.entrypoints.responses import DraftPublic, MatterRetiredPublic, MatterVersionPublic
from onematter_catalog.entrypoints.schemas import MatterDraftIn
from onematter_catalog.service_layer import handlers, queries

__all__ = ["router"]

router = APIRouter(
    prefix="/api/v1/admin/matters", tags=["catalog admin"], dependencies=[require_roles(Role.admin)]
)
Code = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_-]{1,63}$")]


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a key matter draft")
async def create_draft(body: MatterDraftIn, uow: UowDep) -> DraftPublic:
    await handlers.create_draft(body.to_spec(), uow=uow)
    return DraftPublic.model_validate(await queries.draft_view(body.code, uow=uow))


@router.put("/{code}", summary="Replace a key matter's draft")
async def update_draft(code: Code, body: MatterDraftIn, uow: UowDep) -> DraftPublic:
    if body.code != code:
        raise ValidationProblem(
            f"The body's code {body.code!r} is not the path's {code!r}.",
            errors=[{"field": "code", "message": "must equal the code in the path"}],
        )
    await handlers.update_draft(body.to_spec(), uow=uow)
    return DraftPublic.model_validate(await queries.draft_view(code, uow=uow))


@router.get("/{code}/draft", summary="A key matter's draft with a preview of its next version")
async def get_draft(code: Code, uow: UowDep) -> DraftPublic:
    return DraftPublic.model_validate(await queries.draft_view(code, uow=uow))


@router.post(
    "/{code}/publish", status_code=status.HTTP_201_CREATED, summary="Publish the draft as a new version"
)
async def publish(code: Code, uow: UowDep) -> MatterVersionPublic:
    version = await handlers.publish(code, uow=uow)
    return MatterVersionPublic.model_validate(version.model_dump())


@router.post("/{code}/retire", summary="Retire a key matter: no new applications")
async def retire(code: Code, uow: UowDep) -> MatterRetiredPublic:
    retired = await handlers.retire(code, uow=uow)
    return MatterRetiredPublic.model_validate(retired.model_dump())
