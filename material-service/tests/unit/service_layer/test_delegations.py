"""帮办代办 on fakes: what a delegate read or submitted under a delegation lands in the owner's access log."""

from __future__ import annotations

from onematter_events import new_event
from onematter_events.delegations import DELEGATION_USED, DelegationUsed
from onematter_material.domain.materials import NewMaterial
from onematter_material.service_layer.delegations import on_delegation_used

from ..fakes import DEFAULT_NOW, FakeMaterialUnitOfWork, consume


async def _material(uow: FakeMaterialUnitOfWork, owner_id: str) -> str:
    row = await uow.materials.add(
        NewMaterial(
            owner_id=owner_id,
            material_type="id_card",
            sha256="0" * 64,
            size=1,
            media_type="application/pdf",
            file_name="a.pdf",
            created_at=DEFAULT_NOW,
        )
    )
    return row.id


def _used(material_ids: list[str], *, what: str = "prefill"):
    payload = DelegationUsed(
        delegation_id="d1",
        applicant_id="person-1",
        delegate_id="clerk01",
        what=what,
        matter_code="newborn-birth",
        material_ids=material_ids,
        used_at=DEFAULT_NOW,
    )
    return new_event(DELEGATION_USED, payload)


async def test_a_delegated_prefill_read_is_logged_per_material_with_the_delegation():
    uow = FakeMaterialUnitOfWork()
    mine = await _material(uow, "person-1")
    someone_elses = await _material(uow, "person-2")

    await consume(on_delegation_used, _used([mine, someone_elses]), uow)

    [entry] = uow.access_log.rows
    assert (entry.owner_id, entry.material_id, entry.reader_id) == ("person-1", mine, "clerk01")
    assert (entry.action, entry.delegation_id, entry.read_at) == ("delegated_read", "d1", DEFAULT_NOW)


async def test_a_delegated_submission_is_logged_as_submitted():
    uow = FakeMaterialUnitOfWork()
    mine = await _material(uow, "person-1")

    await consume(on_delegation_used, _used([mine], what="submit"), uow)

    assert [e.action for e in uow.access_log.rows] == ["submitted"]
