"""Handlers of the owner's locker: store an upload, read with need-to-know checks, delete.

Every handler opens the unit of work, does its checks, and commits visibly; leaving without a commit rolls
back. Events go through ``uow.emit`` and so into the outbox of the same transaction.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread
from onematter_events import new_event
from onematter_events.materials import MATERIAL_UPLOADED, MaterialUploaded
from onematter_kit.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UnsupportedMediaTypeError,
    ValidationProblem,
)
from onematter_kit.identity import Principal, Role
from onematter_kit.unit_of_work import SqlUnitOfWork
from sqlalchemy import select

from onematter_material.adapters import repository as repo
from onematter_material.adapters.blobstore import BlobStore, BlobWriter
from onematter_material.adapters.tables import AccessGrant, AccessLogEntry, Material
from onematter_material.domain.media import ACCEPTED_MEDIA_TYPES, OFD, ZIP, declared_type, sniff_media_type

__all__ = [
    "NewUpload",
    "delete_material",
    "locker_owner",
    "readable_material",
    "record_read",
    "store_upload",
]

_MATERIAL_TYPE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


@dataclass(frozen=True)
class NewUpload:
    """A file already streamed into ``writer`` (closed, hashed) and what the client said about it."""

    owner: Principal
    material_type: str
    file_name: str
    declared_type: str | None
    writer: BlobWriter
    #: 帮办代办: the window clerk who put it in the owner's locker (logged for the owner), else None.
    uploaded_by: Principal | None = None


def _check_material_type(material_type: str) -> None:
    if not _MATERIAL_TYPE.match(material_type):
        raise ValidationProblem(
            "material_type must be a material type code such as birth_medical_cert.",
            errors=[{"field": "material_type", "message": "lowercase code, 2-64 characters"}],
        )


def _has_ofd_root(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:  # reads the central directory only, not the entries
            return "OFD.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def locker_owner(caller: Principal, on_behalf_of: str | None) -> Principal:
    """Whose locker an upload goes to: a clerk's named applicant (帮办代办), else the applicant itself."""
    if caller.has(Role.clerk):
        if not on_behalf_of or len(on_behalf_of) > 128:
            raise ValidationProblem(
                "A clerk uploads for an applicant.",
                errors=[{"field": "on_behalf_of", "message": "is required for a clerk"}],
            )
        return Principal(subject=on_behalf_of, roles=frozenset({Role.applicant}))
    if on_behalf_of and on_behalf_of != caller.subject:
        raise ForbiddenError("An applicant uploads only into its own locker.")
    return caller


async def real_media_type(upload: NewUpload) -> str:
    """The media type shown by the bytes; 422 when empty, 415 when unknown or when it contradicts the
    declared type (a PNG declared as ``application/pdf`` is refused, not silently relabelled)."""
    writer = upload.writer
    if writer.size == 0:
        raise ValidationProblem("The file is empty.", errors=[{"field": "file", "message": "empty file"}])
    sniffed = sniff_media_type(writer.head)
    if sniffed == ZIP:
        is_ofd = await anyio.to_thread.run_sync(_has_ofd_root, writer.temp_path)
        sniffed = OFD if is_ofd else None
    if sniffed not in ACCEPTED_MEDIA_TYPES:
        raise UnsupportedMediaTypeError(
            "Only PDF, JPEG, PNG and OFD files are accepted.",
            extensions={"accepted": sorted(ACCEPTED_MEDIA_TYPES)},
        )
    declared = declared_type(upload.declared_type)
    if declared is not None and declared != sniffed:
        raise UnsupportedMediaTypeError(
            f"The file was declared as {declared} but its content is {sniffed}.",
            extensions={"declared": declared, "detected": sniffed},
        )
    return str(sniffed)


async def store_upload(uow: SqlUnitOfWork, upload: NewUpload) -> Material:
    """Check the file, store its bytes once per content, and add a material to the owner's locker.

    The caller discards ``upload.writer`` afterwards in every case (a no-op once published)."""
    _check_material_type(upload.material_type)
    media_type = await real_media_type(upload)
    sha256 = upload.writer.sha256
    if sha256 is None:
        raise RuntimeError("store_upload needs a closed writer")
    async with uow:
        await repo.upsert_blob(uow.session, sha256=sha256, size=upload.writer.size, media_type=media_type)
        # Published while the blob row is locked: a concurrent delete of the last reference waits for us.
        await upload.writer.publish()
        material = Material(
            owner_id=upload.owner.subject,
            material_type=upload.material_type,
            blob_sha256=sha256,
            size=upload.writer.size,
            media_type=media_type,
            file_name=upload.file_name,
        )
        uow.session.add(material)
        if upload.uploaded_by is not None:
            record_read(uow, material=material, principal=upload.uploaded_by, grant=None, action="uploaded")
        await uow.session.flush()
        uow.emit(
            new_event(
                MATERIAL_UPLOADED,
                MaterialUploaded(
                    material_id=material.id,
                    owner_id=material.owner_id,
                    material_type=material.material_type,
                    sha256=sha256,
                    size=material.size,
                    media_type=media_type,
                    uploaded_at=material.created_at,
                ),
            )
        )
        await uow.commit()
    return material


async def readable_material(
    uow: SqlUnitOfWork, *, principal: Principal, material_id: str
) -> tuple[Material, AccessGrant | None]:
    """The material if ``principal`` owns it (grant ``None``), or is an officer of a department with an
    open grant on it (that grant). Anything else is 404 — a material that is not yours does not exist."""
    material = await uow.session.get(Material, material_id)
    if material is not None and material.owner_id == principal.subject:
        return material, None
    if material is not None and principal.has(Role.officer) and principal.department:
        grant = await repo.active_grant(uow.session, material_id=material.id, department=principal.department)
        if grant is not None:
            return material, grant
    raise NotFoundError(f"Material {material_id} not found.")


def record_read(
    uow: SqlUnitOfWork, *, material: Material, principal: Principal, grant: AccessGrant | None, action: str
) -> None:
    """Log a read by anyone but the owner (the caller commits it together with nothing else)."""
    if material.owner_id == principal.subject:
        return
    uow.session.add(
        AccessLogEntry(
            owner_id=material.owner_id,
            material_id=material.id,
            material_type=material.material_type,
            reader_id=principal.subject,
            reader_name=principal.name,
            department=principal.department,
            task_id=grant.task_id if grant else None,
            action=action,
        )
    )


async def delete_material(
    uow: SqlUnitOfWork, store: BlobStore, *, owner: Principal, material_id: str
) -> None:
    """Delete an own material; 409 while an open task uses it. The bytes go when no material uses them."""
    async with uow:
        material = await repo.owned_material(uow.session, material_id=material_id, owner_id=owner.subject)
        if material is None:
            raise NotFoundError(f"Material {material_id} not found.")
        open_task = (
            await uow.session.execute(
                select(AccessGrant.task_id)
                .where(AccessGrant.material_id == material_id, AccessGrant.active.is_(True))
                .limit(1)
            )
        ).scalar()  # type: ignore[attr-defined]
        if open_task is not None:
            raise ConflictError(
                "The material is used by an open task and cannot be deleted until it ends.",
                extensions={"task_id": open_task},
            )
        blob = await repo.lock_blob(uow.session, material.blob_sha256)
        await uow.session.delete(material)
        await uow.session.flush()
        if blob is not None and await repo.blob_references(uow.session, blob.sha256) == 0:
            await uow.session.delete(blob)
            await store.delete(blob.sha256)  # under the row lock; an upload of the same bytes waits for us
        await uow.commit()
