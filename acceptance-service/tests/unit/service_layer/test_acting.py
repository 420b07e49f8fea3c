"""Who acts for whom (issue 16): an enterprise's legal representative (法定代表人) acts for it and grants its
delegations; its 经办人 only under one; the clerk who submitted answers a 补正 or withdraws only under a
delegation in force, and the applicant's access log is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from acceptance_builders import material_client, officer
from acceptance_testing import newborn_form
from delegation_fakes import delegation_in_force
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.service_layer import delegations as handlers
from onematter_acceptance.service_layer.acting import acting_for
from onematter_acceptance.service_layer.applicant import answer_supplement, withdraw_application
from onematter_acceptance.service_layer.commands import (
    AnswerSupplement,
    RequestSupplement,
    SubmitApplication,
    WithdrawApplication,
)
from onematter_acceptance.service_layer.delegations import DelegationAsked
from onematter_acceptance.service_layer.submission import submit_application
from onematter_acceptance.service_layer.tasks import request_supplement
from onematter_events.delegations import DELEGATION_USED
from onematter_kit.errors import ForbiddenError, NotFoundError
from onematter_kit.identity import Principal, Role
from onematter_testkit import make_principal, random_id

ENTERPRISE = "acme-corp"
#: As the identity provider asserts it (an 电子营业执照 login): 王五 is acme-corp's legal representative.
LEGAL_REP = Principal(subject="wangwu", roles=frozenset({Role.applicant}), legal_representative_of=ENTERPRISE)
AGENT = make_principal("zhaoliu", "applicant")  # bound to nothing: a 经办人 only under a delegation
CLERK = make_principal("clerk01", "clerk")
MATTER = "newborn-birth"


async def test_the_legal_representative_acts_for_the_enterprise_without_a_delegation(uow) -> None:
    acting = await acting_for(uow, LEGAL_REP, ENTERPRISE, matter_code=MATTER, action="submit")

    assert acting.applicant.subject == ENTERPRISE and acting.applicant.applicant_kind == "enterprise"
    assert acting.delegation is None


@pytest.mark.parametrize("caller", [AGENT, CLERK, LEGAL_REP.model_copy(update={"subject": "x"})])
async def test_nobody_else_acts_for_the_enterprise_without_a_delegation(uow, caller) -> None:
    if caller.subject == "x":  # represents another enterprise, not this one
        caller = caller.model_copy(update={"legal_representative_of": "other-corp"})
    for action in ("read", "submit"):
        with pytest.raises(ForbiddenError):
            await acting_for(uow, caller, ENTERPRISE, matter_code=MATTER, action=action)


def _grant(uow, caller: Principal) -> DelegationAsked:
    return DelegationAsked(
        caller=caller,
        other=AGENT.subject,
        matter_codes=(MATTER,),
        actions=frozenset({"read", "submit"}),
        valid_until=uow.clock.now() + timedelta(days=7),
    )


async def test_only_the_legal_representative_grants_for_the_enterprise_and_may_revoke_it(uow) -> None:
    with pytest.raises(ForbiddenError):
        await handlers.grant_delegation(_grant(uow, AGENT), uow, for_enterprise=ENTERPRISE)
    assert uow.fake_delegations.stored == {}

    granted = await handlers.grant_delegation(_grant(uow, LEGAL_REP), uow, for_enterprise=ENTERPRISE)
    assert (granted.terms.applicant_id, granted.terms.delegate_id) == (ENTERPRISE, "zhaoliu")
    acting = await acting_for(uow, AGENT, ENTERPRISE, matter_code=MATTER, action="submit")
    assert acting.delegation is not None and acting.delegation.id == granted.id
    assert [d.id for d in await handlers.list_delegations(LEGAL_REP, uow)] == [granted.id]

    with pytest.raises(NotFoundError):  # the 经办人 cannot revoke (nor learn of) the grant as its grantor
        await handlers.revoke_delegation(make_principal("lisi", "applicant"), granted.id, uow)
    await handlers.revoke_delegation(LEGAL_REP, granted.id, uow)
    with pytest.raises(ForbiddenError):
        await acting_for(uow, AGENT, ENTERPRISE, matter_code=MATTER, action="submit")


async def _submitted_by_clerk(uow, material_service) -> tuple[str, str]:
    """lisi's application, submitted by the clerk under a delegation that is then revoked."""
    delegation = delegation_in_force(uow, applicant="lisi", delegate="clerk01")
    command = SubmitApplication(
        caller=CLERK,
        idempotency_key=random_id("key"),
        matter_code=MATTER,
        form=newborn_form(),
        materials=material_service.upload_all("lisi"),
        channel="window",
        on_behalf_of="lisi",
    )
    client = material_client(material_service)
    submitted = await submit_application(command, uow, materials=client, calendar=WorkCalendar())
    uow.fake_delegations.stored[delegation.id].revoke(now=uow.clock.now())
    uow.emitted.clear()
    return submitted.acceptance_number, delegation.id


async def test_the_clerk_who_submitted_cannot_withdraw_without_a_delegation_and_can_with_one(
    uow, material_service
) -> None:
    number, _ = await _submitted_by_clerk(uow, material_service)

    with pytest.raises(ForbiddenError):
        await withdraw_application(WithdrawApplication(number=number, caller=CLERK), uow)
    assert uow.stored(number).status == "in_progress" and uow.emitted == []

    fresh = delegation_in_force(uow, applicant="lisi", delegate="clerk01", actions=("submit",))
    await withdraw_application(WithdrawApplication(number=number, caller=CLERK), uow)

    assert uow.stored(number).status == "withdrawn"
    [told] = uow.events(DELEGATION_USED)
    assert (told.data["delegation_id"], told.data["what"]) == (fresh.id, "withdraw")
    assert (told.data["applicant_id"], told.data["acceptance_number"]) == ("lisi", number)
    assert told.data["material_ids"]  # the application's materials, each gets a line in lisi's log


async def test_the_clerk_who_submitted_answers_a_supplement_only_under_a_delegation_allowing_submit(
    uow, material_service
) -> None:
    number, _ = await _submitted_by_clerk(uow, material_service)
    task = next(t for t in uow.stored(number).tasks if t.department == "mps")
    ask = RequestSupplement(
        task_id=task.id, officer=officer("mps"), materials=["hukou_book"], reason="不清晰"
    )
    await request_supplement(ask, uow, calendar=WorkCalendar())
    supplied = {"hukou_book": material_service.upload("lisi", "hukou_book")}
    answer = AnswerSupplement(number=number, caller=CLERK, materials=supplied)
    client = material_client(material_service)
    uow.emitted.clear()

    delegation_in_force(uow, applicant="lisi", delegate="clerk01", actions=("read",))  # read is not enough
    with pytest.raises(ForbiddenError):
        await answer_supplement(answer, uow, materials=client, calendar=WorkCalendar())
    assert uow.stored(number).status == "waiting_supplement" and uow.emitted == []

    delegation_in_force(uow, applicant="lisi", delegate="clerk01", actions=("submit",))
    await answer_supplement(answer, uow, materials=client, calendar=WorkCalendar())

    assert uow.stored(number).open_supplement == {}
    [told] = uow.events(DELEGATION_USED)
    assert (told.data["what"], told.data["material_ids"]) == ("answer", [supplied["hukou_book"]])


async def test_an_unrelated_clerk_learns_nothing_of_the_application(uow, material_service) -> None:
    number, _ = await _submitted_by_clerk(uow, material_service)
    delegation_in_force(uow, applicant="lisi", delegate="clerk02")

    with pytest.raises(NotFoundError):
        await withdraw_application(
            WithdrawApplication(number=number, caller=make_principal("clerk02", "clerk")), uow
        )
