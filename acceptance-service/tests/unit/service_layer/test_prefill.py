"""减填 / 免提交 for an applicant and for the clerk at the counter."""

from __future__ import annotations

import pytest
from acceptance_builders import material_client
from delegation_fakes import delegation_in_force
from onematter_acceptance.service_layer.prefill import ReadPrefill, prefill
from onematter_events.delegations import DELEGATION_USED
from onematter_kit.errors import ForbiddenError, NotFoundError, ValidationProblem
from onematter_testkit import make_principal


async def test_prefill_says_what_earlier_applications_and_licences_already_cover(
    uow, submit, material_service
):
    application = await submit()
    licence = material_service.grant_licence("zhangsan", "hukou_book")
    del material_service.materials[application.materials["photo"].material_id]  # deleted since

    known = await prefill(
        ReadPrefill(matter_code="newborn-birth", caller=make_principal("zhangsan", "applicant")),
        uow,
        materials=material_client(material_service),
    )

    by_type = {c.material.material_type: c for c in known.materials}
    assert known.sources["contact_phone"] == "earlier_application"
    assert "child_name" not in known.values  # the first case's child is not offered again
    assert (by_type["hukou_book"].covered_by, by_type["hukou_book"].licence.id) == ("licence", licence)
    assert by_type["id_card"].material_id == application.materials["id_card"].material_id
    assert by_type["photo"].covered_by is None


async def test_a_clerk_must_name_the_applicant_and_an_unknown_matter_is_not_found(uow, material_service):
    clerk = make_principal("clerk01", "clerk")
    client = material_client(material_service)
    delegation_in_force(uow, applicant="lisi", delegate="clerk01", matters=("nope",))

    with pytest.raises(ValidationProblem):
        await prefill(ReadPrefill(matter_code="newborn-birth", caller=clerk), uow, materials=client)
    with pytest.raises(NotFoundError):
        await prefill(
            ReadPrefill(matter_code="nope", caller=clerk, on_behalf_of="lisi"), uow, materials=client
        )


async def test_a_clerk_without_a_delegation_for_the_matter_reads_nothing(uow, submit, material_service):
    await submit("lisi")
    delegation_in_force(uow, applicant="lisi", delegate="clerk01", matters=("other-matter",))
    asked = ReadPrefill(
        matter_code="newborn-birth", caller=make_principal("clerk01", "clerk"), on_behalf_of="lisi"
    )

    with pytest.raises(ForbiddenError):
        await prefill(asked, uow, materials=material_client(material_service))

    assert uow.emitted == []


async def test_a_clerk_under_a_delegation_reads_and_the_read_is_told_to_the_access_log(
    uow, submit, material_service
):
    application = await submit("lisi")
    delegation = delegation_in_force(uow, applicant="lisi", delegate="clerk01", actions=("read",))
    asked = ReadPrefill(
        matter_code="newborn-birth", caller=make_principal("clerk01", "clerk"), on_behalf_of="lisi"
    )

    known = await prefill(asked, uow, materials=material_client(material_service))

    assert known.applicant_id == "lisi" and known.values["contact_phone"] == "13800000000"
    [told] = uow.events(DELEGATION_USED)
    assert (told.data["delegation_id"], told.data["what"]) == (delegation.id, "prefill")
    assert application.materials["id_card"].material_id in told.data["material_ids"]
