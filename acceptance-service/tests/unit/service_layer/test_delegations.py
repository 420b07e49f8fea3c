"""Delegation handlers on fakes: the code goes to the applicant's inbox event only, the clerk confirms it,
the applicant revokes, each side lists what concerns it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from onematter_acceptance.service_layer import delegations as handlers
from onematter_acceptance.service_layer.delegations import ConfirmDelegation, DelegationAsked, InPersonCheck
from onematter_events.delegations import DELEGATION_CODE_ISSUED
from onematter_kit.errors import ForbiddenError, NotFoundError, ValidationProblem
from onematter_testkit import make_principal

CLERK = make_principal("clerk01", "clerk")
APPLICANT = make_principal("zhangsan", "applicant")


def _asked(uow, caller, other, **changes) -> DelegationAsked:
    values = {
        "caller": caller,
        "other": other,
        "matter_codes": ("newborn-birth",),
        "actions": frozenset({"read", "submit"}),
        "valid_until": uow.clock.now() + timedelta(days=7),
    } | changes
    return DelegationAsked(**values)


async def test_a_clerk_request_sends_the_code_to_the_applicant_only_and_the_code_confirms_it(uow):
    pending = await handlers.request_delegation(_asked(uow, CLERK, "zhangsan"), uow)

    [issued] = uow.events(DELEGATION_CODE_ISSUED)
    assert issued.data["applicant_id"] == "zhangsan" and issued.data["delegation_id"] == pending.id
    assert pending.status == "pending" and pending.code_hash != issued.data["code"]
    confirmed = await handlers.confirm_delegation(
        ConfirmDelegation(caller=CLERK, delegation_id=pending.id, code=issued.data["code"]), uow
    )
    assert uow.fake_delegations.stored[confirmed.id].status == "active"


async def test_a_wrong_code_is_a_422_and_the_attempt_is_kept(uow):
    pending = await handlers.request_delegation(_asked(uow, CLERK, "zhangsan"), uow)
    code = uow.events(DELEGATION_CODE_ISSUED)[0].data["code"]
    wrong = "000000" if code != "000000" else "111111"

    with pytest.raises(ValidationProblem):
        await handlers.confirm_delegation(
            ConfirmDelegation(caller=CLERK, delegation_id=pending.id, code=wrong), uow
        )

    assert uow.fake_delegations.stored[pending.id].attempts == 1


async def test_only_the_clerk_who_asked_may_enter_the_code(uow):
    pending = await handlers.request_delegation(_asked(uow, CLERK, "zhangsan"), uow)
    code = uow.events(DELEGATION_CODE_ISSUED)[0].data["code"]

    with pytest.raises(NotFoundError):
        await handlers.confirm_delegation(
            ConfirmDelegation(caller=make_principal("clerk02", "clerk"), delegation_id=pending.id, code=code),
            uow,
        )


async def test_an_applicant_cannot_request_and_a_clerk_cannot_grant(uow):
    with pytest.raises(ForbiddenError):
        await handlers.request_delegation(_asked(uow, APPLICANT, "lisi"), uow)
    with pytest.raises(ForbiddenError):
        await handlers.grant_delegation(_asked(uow, CLERK, "clerk02"), uow)
    assert uow.fake_delegations.stored == {}


async def test_an_unknown_matter_is_a_422(uow):
    with pytest.raises(ValidationProblem):
        await handlers.grant_delegation(_asked(uow, APPLICANT, "lisi", matter_codes=("no-such",)), uow)


async def test_the_applicant_revokes_and_sees_it_while_the_clerk_sees_only_its_own(uow):
    granted = await handlers.grant_delegation(_asked(uow, APPLICANT, "clerk01"), uow)
    await handlers.grant_delegation(_asked(uow, make_principal("lisi", "applicant"), "clerk02"), uow)

    with pytest.raises(NotFoundError):
        await handlers.revoke_delegation(CLERK, granted.id, uow)
    revoked = await handlers.revoke_delegation(APPLICANT, granted.id, uow)

    assert revoked.status == "revoked"
    assert [d.id for d in await handlers.list_delegations(CLERK, uow)] == [granted.id]
    assert [d.status for d in await handlers.list_delegations(APPLICANT, uow)] == ["revoked"]


async def test_an_in_person_check_is_stored_masked_and_in_force(uow):
    cmd = InPersonCheck(
        asked=_asked(uow, CLERK, "zhangsan"),
        document_type="resident_id_card",
        document_number="110101199003071234",
        witness_id="clerk02",
    )

    delegation = await handlers.record_in_person_check(cmd, uow)

    stored = uow.fake_delegations.stored[delegation.id]
    assert stored.status == "active" and stored.identity_check is not None
    assert stored.identity_check.number_masked == "1101**********1234"
    assert "110101199003071234" not in repr(stored)


async def test_a_delegation_is_read_only_by_its_applicant_and_its_delegate(uow):
    granted = await handlers.grant_delegation(_asked(uow, APPLICANT, "clerk01"), uow)

    assert (await handlers.read_delegation(CLERK, granted.id, uow)).id == granted.id
    assert (await handlers.read_delegation(APPLICANT, granted.id, uow)).id == granted.id
    with pytest.raises(NotFoundError):
        await handlers.read_delegation(make_principal("clerk02", "clerk"), granted.id, uow)
