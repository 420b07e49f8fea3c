"""The owner's lists on fakes: the locker (and its batch read) and the access log."""

from __future__ import annotations

from datetime import timedelta

from onematter_kit.identity import Role
from onematter_material.domain.materials import AccessAction, AccessEntry, NewMaterial
from onematter_material.service_layer.queries import ListAccessLog, ListMaterials, access_log, list_materials
from onematter_testkit import make_principal

from ..fakes import DEFAULT_NOW, FakeMaterialUnitOfWork

OWNER = make_principal("person-1", Role.applicant)


async def _material(uow: FakeMaterialUnitOfWork, *, owner_id: str = "person-1", minutes: int = 0) -> str:
    row = await uow.materials.add(
        NewMaterial(
            owner_id=owner_id,
            material_type="id_card",
            sha256="0" * 64,
            size=1,
            media_type="application/pdf",
            file_name="a.pdf",
            created_at=DEFAULT_NOW + timedelta(minutes=minutes),
        )
    )
    return row.id


async def test_the_locker_lists_the_owners_materials_newest_first() -> None:
    uow = FakeMaterialUnitOfWork()
    old, new = await _material(uow), await _material(uow, minutes=5)
    await _material(uow, owner_id="person-2")

    rows, total = await list_materials(ListMaterials(owner=OWNER, limit=20, offset=0), uow)

    assert [r.id for r in rows] == [new, old] and total == 2


async def test_a_batch_read_answers_only_the_owners_materials_among_the_ids() -> None:
    uow = FakeMaterialUnitOfWork()
    mine, theirs = await _material(uow), await _material(uow, owner_id="person-2")

    query = ListMaterials(owner=OWNER, limit=20, offset=0, ids=(mine, theirs, "no-such"))
    rows, total = await list_materials(query, uow)

    assert [r.id for r in rows] == [mine] and total == 1


async def test_the_access_log_lists_reads_of_the_owners_materials_only() -> None:
    uow = FakeMaterialUnitOfWork()
    for owner_id in ("person-1", "person-2"):
        uow.access_log.add(
            AccessEntry(
                owner_id=owner_id,
                material_id="m1",
                material_type="id_card",
                reader_id="officer-1",
                reader_name=None,
                department="nhc",
                task_id="task-1",
                action=AccessAction.content,
                read_at=DEFAULT_NOW,
            )
        )

    rows, total = await access_log(ListAccessLog(owner=OWNER, limit=20, offset=0), uow)

    assert total == 1 and rows[0].owner_id == "person-1"
