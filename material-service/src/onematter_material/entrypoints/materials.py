"""``/api/v1/materials``: upload, the owner's locker, content download, deletion and the access log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import FileResponse
from onematter_kit.errors import ValidationProblem
from sqlalchemy import select

from onematter_material.adapters import repository as repo
from onematter_material.adapters.tables import AccessLogEntry, Material
from onematter_material.entrypoints.deps import (
    Applicant,
    PageDep,
    Reader,
    SettingsDep,
    StoreDep,
    UowDep,
    Uploader,
)
from onematter_material.entrypoints.schemas import AccessLogEntryPublic, MaterialPublic, Page
from onematter_material.entrypoints.upload import receive_upload
from onematter_material.service_layer.materials import (
    NewUpload,
    delete_material,
    locker_owner,
    readable_material,
    record_read,
    store_upload,
)

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/materials", tags=["materials"])
_ON_BEHALF_OF = "window clerks only: the applicant at the counter (帮办代办)"


@router.post(
    "",
    status_code=201,
    response_model=MaterialPublic,
    responses={415: {"description": "Not a PDF, JPEG, PNG or OFD file (by its bytes)"}},
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file", "material_type"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "material_type": {"type": "string"},
                            "on_behalf_of": {"type": "string", "description": _ON_BEHALF_OF},
                        },
                    }
                }
            }
        }
    },
)
async def upload_material(
    request: Request, caller: Uploader, uow: UowDep, store: StoreDep, settings: SettingsDep
) -> MaterialPublic:
    """Streamed to storage (never held in memory); 413 above the size limit, 415 for a type that is not
    PDF/JPEG/PNG/OFD or contradicts the declared one, 422 for an empty file or a missing material_type.
    A window clerk names the applicant (``on_behalf_of``); the upload then shows in that applicant's
    access log as ``uploaded`` by the clerk."""
    received = await receive_upload(request, store=store, limit=settings.max_upload_bytes)
    try:
        material_type = received.fields.get("material_type", "")
        if not material_type:
            raise ValidationProblem(
                "material_type is required.", errors=[{"field": "material_type", "message": "required"}]
            )
        owner = locker_owner(caller, received.fields.get("on_behalf_of"))
        material = await store_upload(
            uow,
            NewUpload(
                owner=owner,
                material_type=material_type,
                file_name=received.file_name,
                declared_type=received.declared_type,
                writer=received.writer,
                uploaded_by=caller if owner is not caller else None,
            ),
        )
        return MaterialPublic.of(material)
    finally:
        await received.writer.discard()


_MAX_IDS = 100
_IDS_DOC = (
    f"Comma-separated material ids (at most {_MAX_IDS}): only those of the caller's materials; "
    "an id that is not the caller's is simply absent, as a single read would be 404"
)


@router.get("", response_model=Page[MaterialPublic])
async def list_materials(
    owner: Applicant,
    uow: UowDep,
    page: PageDep,
    ids: Annotated[str | None, Query(description=_IDS_DOC)] = None,
) -> dict[str, object]:
    """The caller's own materials, newest first. Nobody lists another person's locker.

    ``?ids=a,b,c`` is the batch read (one call instead of one per material, e.g. acceptance checking a
    submission): the same fields as ``GET /{id}``, for the owner only; nothing is logged (an owner's own
    reads never are)."""
    statement = select(Material).where(Material.owner_id == owner.subject)
    if ids is not None:
        statement = statement.where(Material.id.in_(_parse_ids(ids)))  # type: ignore[attr-defined]
    async with uow:
        items, total = await repo.count_and_page(
            uow.session,
            statement,
            order_by=[Material.created_at.desc(), Material.id],
            limit=page.limit,
            offset=page.offset,
        )  # type: ignore[attr-defined]
        public = [MaterialPublic.of(m) for m in items]
    return {"items": public, "total": total, "limit": page.limit, "offset": page.offset}


def _parse_ids(raw: str) -> list[str]:
    ids = list(dict.fromkeys(i.strip() for i in raw.split(",") if i.strip()))
    if not ids or len(ids) > _MAX_IDS:
        message = f"between 1 and {_MAX_IDS} comma-separated ids"
        raise ValidationProblem(
            f"ids must name 1 to {_MAX_IDS} materials.", errors=[{"field": "ids", "message": message}]
        )
    return ids


@router.get("/access-log", response_model=Page[AccessLogEntryPublic])
async def access_log(owner: Applicant, uow: UowDep, page: PageDep) -> dict[str, object]:
    """Who read the caller's materials (every read but the owner's own), newest first."""
    async with uow:
        items, total = await repo.count_and_page(
            uow.session,
            select(AccessLogEntry).where(AccessLogEntry.owner_id == owner.subject),
            order_by=[AccessLogEntry.read_at.desc(), AccessLogEntry.id],
            limit=page.limit,
            offset=page.offset,
        )  # type: ignore[attr-defined]
        public = [AccessLogEntryPublic.model_validate(e, from_attributes=True) for e in items]
    return {"items": public, "total": total, "limit": page.limit, "offset": page.offset}


@router.get("/{material_id}", response_model=MaterialPublic)
async def get_material(material_id: str, reader: Reader, uow: UowDep) -> MaterialPublic:
    """The owner's material, or one an officer's department holds an open grant on (logged); else 404."""
    async with uow:
        material, grant = await readable_material(uow, principal=reader, material_id=material_id)
        record_read(uow, material=material, principal=reader, grant=grant, action="metadata")
        await uow.commit()
        return MaterialPublic.of(material)


@router.get("/{material_id}/content", response_model=None)
async def download_content(
    material_id: str,
    reader: Reader,
    uow: UowDep,
    store: StoreDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The bytes, streamed with their media type, ``Content-Disposition``, a strong ETag (the sha256) and
    ``Range`` support (206). The read is logged before any byte leaves, so no read goes unrecorded."""
    async with uow:
        material, grant = await readable_material(uow, principal=reader, material_id=material_id)
        record_read(uow, material=material, principal=reader, grant=grant, action="content")
        await uow.commit()
        sha256, media_type, file_name = material.blob_sha256, material.media_type, material.file_name
    etag = f'"{sha256}"'
    headers = {"etag": etag, "cache-control": "private, no-store", "x-content-type-options": "nosniff"}
    if if_none_match and etag in {tag.strip() for tag in if_none_match.split(",")}:
        return Response(status_code=304, headers=headers)
    return FileResponse(store.local_path(sha256), media_type=media_type, filename=file_name, headers=headers)


@router.delete("/{material_id}", status_code=204)
async def remove_material(material_id: str, owner: Applicant, uow: UowDep, store: StoreDep) -> Response:
    """Delete an own material; 409 while an open task uses it."""
    await delete_material(uow, store, owner=owner, material_id=material_id)
    return Response(status_code=204)
