"""Handlers of the owner's locker: store an upload, read with need-to-know checks, delete.

Each handler opens the unit of work, loads through its repositories, applies the domain's rules, emits
events and commits visibly; leaving without a commit rolls back. Events go through ``uow.emit`` and so
into the outbox of the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from onematter_events import new_event
from onematter_events.materials import MATERIAL_UPLOADED, MaterialUploaded
from onematter_kit import faults
from onematter_kit.errors import NotFoundError
from onematter_kit.identity import Principal

from onematter_material.adapters.blobstore import BlobStore, BlobWriter
from onematter_material.adapters.containers import inspect_container
from onematter_material.adapters.tables import AccessGrant, Material
from onematter_material.domain.grants import grant_department
from onematter_material.domain.materials import (
    AccessAction,
    NewMaterial,
    access_entry,
    check_deletable,
    check_material_type,
)
from onematter_material.domain.media import (
    ZIP,
    ContainerLimits,
    accepted_media_type,
    container_media_type,
    declared_type,
    sniff_media_type,
)
from onematter_material.service_layer.unit_of_work import MaterialUnitOfWork

__all__ = [
    "DeleteMaterial",
    "ReadMaterial",
    "StoreUpload",
    "delete_material",
    "read_material",
    "store_upload",
]


@dataclass(frozen=True, kw_only=True)
class StoreUpload:
    """A file already streamed into ``writer`` (closed, hashed), and what the client said about it.

    The caller discards ``writer`` afterwards in every case (a no-op once published)."""

    owner: Principal
    material_type: str
    file_name: str
    declared_type: str | None
    writer: BlobWriter
    #: 帮办代办: the window clerk who put it in the owner's locker (logged for the owner), else None.
    uploaded_by: Principal | None = None
    #: The delegation (委托) the upload happens under, logged with it.
    delegation_id: str | None = None
    #: How much a ZIP container (OFD) may hold; the service's settings.
    container_limits: ContainerLimits = field(default_factory=ContainerLimits)


@dataclass(frozen=True, kw_only=True)
class ReadMaterial:
    reader: Principal
    material_id: str
    action: AccessAction


@dataclass(frozen=True, kw_only=True)
class DeleteMaterial:
    owner: Principal
    material_id: str


async def _media_type(cmd: StoreUpload) -> str:
    """What the bytes are (a ZIP counts only when it is an OFD within the container limits); 422/413/415
    per the domain's rules."""
    sniffed = sniff_media_type(cmd.writer.head)
    if sniffed == ZIP:
        facts = await inspect_container(cmd.writer.temp_path, cmd.container_limits)
        sniffed = container_media_type(facts, cmd.container_limits)
    return accepted_media_type(
        size=cmd.writer.size, sniffed=sniffed, declared=declared_type(cmd.declared_type)
    )


async def store_upload(cmd: StoreUpload, uow: MaterialUnitOfWork) -> Material:
    """Check the file, store its bytes once per content, add a material to the owner's locker and emit
    ``material.uploaded``. 422 for a bad material type or an empty file, 415 for a refused type."""
    check_material_type(cmd.material_type)
    media_type, sha256 = await _media_type(cmd), cmd.writer.sha256
    if sha256 is None:
        raise RuntimeError("store_upload needs a closed writer")
    async with uow:
        now = uow.clock.now()
        await uow.blobs.upsert(sha256=sha256, size=cmd.writer.size, media_type=media_type, at=now)
        await cmd.writer.publish()  # while the blob row is locked: a concurrent last delete waits for us
        faults.reach("upload.blob_written")  # tests only: a crash between the blob and its rows
        material = await uow.materials.add(
            NewMaterial(
                owner_id=cmd.owner.subject,
                material_type=cmd.material_type,
                sha256=sha256,
                size=cmd.writer.size,
                media_type=media_type,
                file_name=cmd.file_name,
                created_at=now,
            )
        )
        if cmd.uploaded_by is not None:
            _log(
                uow,
                material,
                cmd.uploaded_by,
                grant=None,
                action=AccessAction.uploaded,
                delegation_id=cmd.delegation_id,
            )
        uow.emit(new_event(MATERIAL_UPLOADED, _uploaded(material)))
        await uow.commit()
    return material


def _uploaded(material: Material) -> MaterialUploaded:
    return MaterialUploaded(
        material_id=material.id,
        owner_id=material.owner_id,
        material_type=material.material_type,
        sha256=material.blob_sha256,
        size=material.size,
        media_type=material.media_type,
        uploaded_at=material.created_at,
    )


def _log(
    uow: MaterialUnitOfWork,
    material: Material,
    reader: Principal,
    *,
    grant: AccessGrant | None,
    action: AccessAction,
    delegation_id: str | None = None,
) -> None:
    entry = access_entry(
        material=material,
        reader=reader,
        task_id=grant.task_id if grant else None,
        action=action,
        at=uow.clock.now(),
        delegation_id=delegation_id,
    )
    if entry is not None:
        uow.access_log.add(entry)


async def _readable(
    uow: MaterialUnitOfWork, reader: Principal, material_id: str
) -> tuple[Material, AccessGrant | None]:
    """The material and the grant the read is for: none for the owner, the department's open grant for
    an officer. Anything else is 404 — a material that is not yours does not exist."""
    material = await uow.materials.get(material_id)
    if material is not None and material.owner_id == reader.subject:
        return material, None
    department = grant_department(reader)
    if material is not None and department is not None:
        grant = await uow.grants.active(material.id, department=department)
        if grant is not None:
            return material, grant
    raise NotFoundError(f"Material {material_id} not found.")


async def read_material(cmd: ReadMaterial, uow: MaterialUnitOfWork) -> Material:
    """The material, for its owner or an officer whose department holds an open grant on it (else 404);
    a read by anyone but the owner is logged and committed before anything is shown."""
    async with uow:
        material, grant = await _readable(uow, cmd.reader, cmd.material_id)
        _log(uow, material, cmd.reader, grant=grant, action=cmd.action)
        await uow.commit()
        return material


async def delete_material(cmd: DeleteMaterial, uow: MaterialUnitOfWork, store: BlobStore) -> None:
    """Delete an own material; 409 while an open task uses it, 404 if it is not the caller's. The bytes
    go when no material uses them any more."""
    async with uow:
        material = await uow.materials.owned(cmd.material_id, owner_id=cmd.owner.subject)
        if material is None:
            raise NotFoundError(f"Material {cmd.material_id} not found.")
        check_deletable(await uow.grants.open_task_of(material.id))
        blob = await uow.blobs.lock(material.blob_sha256)
        await uow.materials.remove(material)
        if blob is not None and await uow.blobs.references(blob.sha256) == 0:
            await uow.blobs.remove(blob)
            await store.delete(blob.sha256)  # under the row lock; an upload of the same bytes waits for us
        await uow.commit()
