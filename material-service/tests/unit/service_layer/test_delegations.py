"""帮办代办 on fakes: what a delegate read or submitted under a delegation lands in the owner's access log."""

from __future__ import annotations

import pytest
from onematter_events import new_event
from onematter_events.delegations import DELEGATION_USED, DelegationUsed
from onematter_kit.errors import ForbiddenError
from onematter_kit.identity import Principal, Role
from onematter_material.adapters.delegation_client import DelegationClient
from onematter_material.domain.delegations import DelegationFacts
from onematter_material.domain.materials import NewMaterial
from onematter_material.service_layer.delegations import locker_for, on_delegation_used

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


async def test_a_supplement_handed_in_and_a_withdrawal_by_the_delegate_are_logged_as_such():
    uow = FakeMaterialUnitOfWork()
    mine = await _material(uow, "person-1")

    await consume(on_delegation_used, _used([mine], what="answer"), uow)
    await consume(on_delegation_used, _used([mine], what="withdraw"), uow)

    assert [e.action for e in uow.access_log.rows] == ["answered", "withdrawn"]


class _NoDelegations(DelegationClient):
    def __init__(self) -> None:  # never asked: the legal representative needs no delegation
        pass

    async def get(self, delegate: Principal, delegation_id: str) -> DelegationFacts | None:
        raise AssertionError("not asked: no delegation is needed, or none can be named")


async def test_the_legal_representative_uploads_into_the_enterprises_locker_and_nobody_else_does():
    rep = Principal(subject="wangwu", roles=frozenset({Role.applicant}), legal_representative_of="acme-corp")
    owner, delegation = await locker_for(
        rep, on_behalf_of="acme-corp", delegation_id=None, delegations=_NoDelegations(), now=DEFAULT_NOW
    )
    assert (owner.subject, owner.applicant_kind, delegation) == ("acme-corp", "enterprise", None)

    with pytest.raises(ForbiddenError):
        await locker_for(
            rep, on_behalf_of="other-corp", delegation_id=None, delegations=_NoDelegations(), now=DEFAULT_NOW
        )


@pytest.mark.parametrize("delegation_id", ["\x00", "a?b#c", "../x", "x" * 65, "%zz", ""])
async def test_a_malformed_delegation_id_is_a_403_without_asking_anyone(delegation_id: str):
    clerk = Principal(subject="clerk01", roles=frozenset({Role.clerk}))
    with pytest.raises(ForbiddenError):
        await locker_for(
            clerk,
            on_behalf_of="lisi",
            delegation_id=delegation_id,
            delegations=_NoDelegations(),
            now=DEFAULT_NOW,
        )
