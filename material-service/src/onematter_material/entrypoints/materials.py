"""``/api/v1/materials``: upload, the owner's locker, content download, deletion and the access log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import FileResponse
from onematter_kit.errors import ValidationProblem
from onematter_kit.paging import Limit, Offset, Page

from onematter_material.domain.materials import AccessAction
from onematter_material.domain.media import download_name
from onematter_material.entrypoints.deps import (
    Applicant,
    DelegationsDep,
    Reader,
    SettingsDep,
    StoreDep,
    UowDep,
    Uploader,
)
from onematter_material.entrypoints.schemas import AccessLogEntryPublic, MaterialPublic
from onematter_material.entrypoints.upload import UPLOAD_BODY, receive_upload
from onematter_material.service_layer import materials as handlers
from onematter_material.service_layer import queries
from onematter_material.service_layer.delegations import locker_for

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/materials", tags=["materials"])


@router.post(
    "",
    status_code=201,
    response_model=MaterialPublic,
    responses={
        413: {"description": "Larger than the upload limit, or an OFD (ZIP) expanding past its limit"},
        415: {"description": "Not a PDF, JPEG, PNG or OFD file (by its bytes)"},
    },
    openapi_extra=UPLOAD_BODY,
)
async def upload_material(
    request: Request,
    caller: Uploader,
    uow: UowDep,
    store: StoreDep,
    settings: SettingsDep,
    delegations: DelegationsDep,
) -> MaterialPublic:
    """Streamed to storage (never held in memory); 413 above the size limit, 415 for a type that is not
    PDF/JPEG/PNG/OFD or contradicts the declared one, 422 for an empty file or a missing material_type.
    An OFD (ZIP) over ``MAX_CONTAINER_ENTRIES`` is 422, over ``MAX_CONTAINER_EXPANDED_BYTES`` 413.
    A delegate (帮办代办: a window clerk, an agent) names the applicant (``on_behalf_of``) and the
    delegation (``delegation_id``) that applicant granted with ``submit``; 403 otherwise (nothing stored).
    The upload then shows in the applicant's access log as ``uploaded`` by the delegate, with the
    delegation."""
    received = await receive_upload(request, store=store, limit=settings.max_upload_bytes)
    try:
        material_type = _required_material_type(received.fields)
        owner, delegation_id = await locker_for(
            caller,
            on_behalf_of=received.fields.get("on_behalf_of"),
            delegation_id=received.fields.get("delegation_id"),
            delegations=delegations,
            now=uow.clock.now(),
        )
        command = handlers.StoreUpload(
            owner=owner,
            material_type=material_type,
            file_name=received.file_name,
            declared_type=received.declared_type,
            writer=received.writer,
            uploaded_by=caller if owner is not caller else None,
            delegation_id=delegation_id,
            container_limits=settings.container_limits(),
        )
        return MaterialPublic.of(await handlers.store_upload(command, uow))
    finally:
        await received.writer.discard()


def _required_material_type(fields: dict[str, str]) -> str:
    material_type = fields.get("material_type", "")
    if not material_type:
        raise ValidationProblem(
            "material_type is required.", errors=[{"field": "material_type", "message": "required"}]
        )
    return material_type


_MAX_IDS = 100
_IDS_DOC = (
    f"Comma-separated material ids (at most {_MAX_IDS}): only those of the caller's materials; "
    "an id that is not the caller's is simply absent, as a single read would be 404"
)


@router.get("", response_model=Page[MaterialPublic])
async def list_materials(
    owner: Applicant,
    uow: UowDep,
    limit: Limit = 20,
    offset: Offset = 0,
    ids: Annotated[str | None, Query(description=_IDS_DOC)] = None,
) -> Page[MaterialPublic]:
    """The caller's own materials, newest first. Nobody lists another person's locker.

    ``?ids=a,b,c`` is the batch read (one call instead of one per material, e.g. acceptance checking a
    submission): the same fields as ``GET /{id}``, for the owner only; nothing is logged (an owner's own
    reads never are)."""
    wanted = _parse_ids(ids) if ids is not None else None
    query = queries.ListMaterials(owner=owner, limit=limit, offset=offset, ids=wanted)
    rows, total = await queries.list_materials(query, uow)
    return Page(items=[MaterialPublic.of(m) for m in rows], total=total, limit=limit, offset=offset)


def _parse_ids(raw: str) -> tuple[str, ...]:
    ids = tuple(dict.fromkeys(i.strip() for i in raw.split(",") if i.strip()))
    if not ids or len(ids) > _MAX_IDS:
        message = f"between 1 and {_MAX_IDS} comma-separated ids"
        raise ValidationProblem(
            f"ids must name 1 to {_MAX_IDS} materials.", errors=[{"field": "ids", "message": message}]
        )
    return ids


@router.get("/access-log", response_model=Page[AccessLogEntryPublic])
async def access_log(
    owner: Applicant, uow: UowDep, limit: Limit = 20, offset: Offset = 0
) -> Page[AccessLogEntryPublic]:
    """Who read the caller's materials (every read but the owner's own), newest first."""
    query = queries.ListAccessLog(owner=owner, limit=limit, offset=offset)
    rows, total = await queries.access_log(query, uow)
    items = [AccessLogEntryPublic.model_validate(entry) for entry in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/{material_id}", response_model=MaterialPublic)
async def get_material(material_id: str, reader: Reader, uow: UowDep) -> MaterialPublic:
    """The owner's material, or one an officer's department holds an open grant on (logged); else 404."""
    command = handlers.ReadMaterial(reader=reader, material_id=material_id, action=AccessAction.metadata)
    return MaterialPublic.of(await handlers.read_material(command, uow))


@router.get("/{material_id}/content", response_model=None)
async def download_content(
    material_id: str,
    reader: Reader,
    uow: UowDep,
    store: StoreDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The bytes, streamed with the media type their content showed at upload, ``Content-Disposition:
    attachment`` named from the label with that type's extension (``x.html`` holding a PDF downloads as
    ``x.pdf``), a strong ETag (the sha256) and ``Range`` support (206). The read is logged before any
    byte leaves, so no read goes unrecorded."""
    command = handlers.ReadMaterial(reader=reader, material_id=material_id, action=AccessAction.content)
    material = await handlers.read_material(command, uow)
    etag = f'"{material.blob_sha256}"'
    headers = {"etag": etag, "cache-control": "private, no-store", "x-content-type-options": "nosniff"}
    if if_none_match and etag in {tag.strip() for tag in if_none_match.split(",")}:
        return Response(status_code=304, headers=headers)
    return FileResponse(
        store.local_path(material.blob_sha256),
        media_type=material.media_type,
        filename=download_name(material.file_name, material.media_type),
        content_disposition_type="attachment",
        headers=headers,
    )


@router.delete("/{material_id}", status_code=204)
async def remove_material(material_id: str, owner: Applicant, uow: UowDep, store: StoreDep) -> Response:
    """Delete an own material; 409 while an open task uses it."""
    await handlers.delete_material(handlers.DeleteMaterial(owner=owner, material_id=material_id), uow, store)
    return Response(status_code=204)
