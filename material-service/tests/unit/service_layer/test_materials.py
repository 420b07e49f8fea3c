"""The locker's handlers on fakes: upload, need-to-know reads with the access log, deletion."""

from __future__ import annotations

import pytest
from onematter_events.materials import MATERIAL_UPLOADED
from onematter_kit.errors import ConflictError, NotFoundError, UnsupportedMediaTypeError, ValidationProblem
from onematter_kit.identity import Principal, Role
from onematter_material.adapters.tables import Material
from onematter_material.domain.materials import AccessAction
from onematter_material.service_layer.materials import (
    DeleteMaterial,
    ReadMaterial,
    StoreUpload,
    delete_material,
    read_material,
    store_upload,
)
from onematter_testkit import make_principal

from ..fakes import DEFAULT_NOW, FakeBlobStore, FakeBlobWriter, FakeMaterialUnitOfWork

PDF = b"%PDF-1.7\n" + b"x" * 100
OWNER = make_principal("person-1", Role.applicant)


def _upload(content: bytes = PDF, **overrides: object) -> StoreUpload:
    fields: dict[str, object] = {
        "owner": OWNER,
        "material_type": "id_card",
        "file_name": "scan.pdf",
        "declared_type": "application/pdf",
        "writer": FakeBlobWriter(content),
    }
    return StoreUpload(**{**fields, **overrides})  # type: ignore[arg-type]


async def _stored(uow: FakeMaterialUnitOfWork, owner: Principal = OWNER) -> Material:
    return await store_upload(_upload(owner=owner), uow)


async def test_an_upload_is_stored_in_the_owners_locker_and_announced_in_one_commit() -> None:
    uow = FakeMaterialUnitOfWork()
    command = _upload()

    material = await store_upload(command, uow)

    assert uow.committed and [e.type for e in uow.emitted] == [MATERIAL_UPLOADED]
    assert uow.emitted[0].data["material_id"] == material.id and uow.emitted[0].data["owner_id"] == "person-1"
    assert (material.owner_id, material.media_type, material.created_at) == (
        "person-1",
        "application/pdf",
        DEFAULT_NOW,
    )
    assert list(uow.blobs.rows) == [material.blob_sha256] and command.writer.published  # type: ignore[attr-defined]
    assert uow.access_log.rows == []


async def test_a_clerks_upload_for_an_applicant_is_in_the_applicants_access_log() -> None:
    uow, clerk = FakeMaterialUnitOfWork(), make_principal("clerk-1", Role.clerk)

    material = await store_upload(_upload(uploaded_by=clerk), uow)

    [entry] = uow.access_log.rows
    assert (entry.owner_id, entry.reader_id, entry.material_id, entry.action) == (
        "person-1",
        "clerk-1",
        material.id,
        "uploaded",
    )


async def test_an_empty_file_or_a_mislabelled_one_is_refused_and_nothing_is_stored() -> None:
    uow = FakeMaterialUnitOfWork()
    with pytest.raises(ValidationProblem):
        await store_upload(_upload(b""), uow)
    with pytest.raises(UnsupportedMediaTypeError):
        await store_upload(_upload(b"\x89PNG\r\n\x1a\n" + b"x" * 10), uow)
    with pytest.raises(ValidationProblem):
        await store_upload(_upload(material_type="Not A Code"), uow)
    assert not uow.committed and uow.materials.rows == {} and uow.emitted == []


async def test_the_owner_reads_without_a_log_entry() -> None:
    uow = FakeMaterialUnitOfWork()
    material = await _stored(uow)

    read = await read_material(
        ReadMaterial(reader=OWNER, material_id=material.id, action=AccessAction.content), uow
    )

    assert read is material and uow.access_log.rows == []


async def test_an_officer_with_an_open_grant_reads_and_the_read_is_logged_for_the_owner() -> None:
    uow = FakeMaterialUnitOfWork()
    material = await _stored(uow)
    await uow.grants.add(
        task_id="task-1", department="nhc", application_id="app-1", material_ids=[material.id], at=DEFAULT_NOW
    )
    officer = make_principal("officer-1", Role.officer, department="nhc")

    await read_material(
        ReadMaterial(reader=officer, material_id=material.id, action=AccessAction.content), uow
    )

    [entry] = uow.access_log.rows
    assert (entry.reader_id, entry.department, entry.task_id, entry.action) == (
        "officer-1",
        "nhc",
        "task-1",
        "content",
    )
    assert uow.committed


async def test_anyone_else_gets_404_as_if_the_material_did_not_exist() -> None:
    uow = FakeMaterialUnitOfWork()
    material = await _stored(uow)
    await uow.grants.add(
        task_id="task-1", department="nhc", application_id="app-1", material_ids=[material.id], at=DEFAULT_NOW
    )
    await uow.grants.end_for_task("task-1", at=DEFAULT_NOW)
    for reader in (
        make_principal("person-2", Role.applicant),
        make_principal("officer-1", Role.officer, department="nhc"),  # its task ended
        make_principal("officer-2", Role.officer, department="mps"),
    ):
        with pytest.raises(NotFoundError):
            await read_material(
                ReadMaterial(reader=reader, material_id=material.id, action=AccessAction.metadata), uow
            )
    with pytest.raises(NotFoundError):
        await read_material(
            ReadMaterial(reader=OWNER, material_id="no-such", action=AccessAction.metadata), uow
        )
    assert uow.access_log.rows == []


async def test_a_material_used_by_an_open_task_cannot_be_deleted() -> None:
    uow, store = FakeMaterialUnitOfWork(), FakeBlobStore()
    material = await _stored(uow)
    await uow.grants.add(
        task_id="task-1", department="nhc", application_id="app-1", material_ids=[material.id], at=DEFAULT_NOW
    )
    uow.committed = False

    with pytest.raises(ConflictError):
        await delete_material(DeleteMaterial(owner=OWNER, material_id=material.id), uow, store)

    assert material.id in uow.materials.rows and store.deleted == [] and not uow.committed


async def test_deleting_the_last_material_of_a_content_deletes_the_bytes_and_a_shared_one_keeps_them() -> (
    None
):
    uow, store = FakeMaterialUnitOfWork(), FakeBlobStore()
    mine, theirs = await _stored(uow), await _stored(uow, make_principal("person-2", Role.applicant))

    await delete_material(DeleteMaterial(owner=OWNER, material_id=mine.id), uow, store)
    assert store.deleted == [] and list(uow.blobs.rows) == [theirs.blob_sha256]

    other = make_principal("person-2", Role.applicant)
    await delete_material(DeleteMaterial(owner=other, material_id=theirs.id), uow, store)
    assert store.deleted == [theirs.blob_sha256] and uow.blobs.rows == {} and uow.committed


async def test_only_the_owner_deletes() -> None:
    uow, store = FakeMaterialUnitOfWork(), FakeBlobStore()
    material = await _stored(uow)
    with pytest.raises(NotFoundError):
        other = make_principal("person-2", Role.applicant)
        await delete_material(DeleteMaterial(owner=other, material_id=material.id), uow, store)
    assert material.id in uow.materials.rows
