"""Licence handlers on fakes: the holder's list with today's status in China, public verification,
revocation and cancellation by the issuing department."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from onematter_clock import FixedClock
from onematter_events import parse_payload
from onematter_events.applications import TaskCompleted
from onematter_events.materials import LicenceEnded
from onematter_events.matters import ItemResult
from onematter_kit.errors import ConflictError, NotFoundError
from onematter_kit.identity import Role
from onematter_material.domain.licences import LicenceStatus, NewLicence
from onematter_material.service_layer.licences import (
    EndLicence,
    ListLicences,
    end_licence_by_issuer,
    issue_licence,
    list_licences,
    verify_licence,
)
from onematter_testkit import make_principal

from ..fakes import FakeMaterialUnitOfWork

#: 2026-12-01 04:04:52 in Beijing.
LATE_EVENING_UTC = datetime(2026, 11, 30, 20, 4, 52, tzinfo=UTC)
HOLDER = make_principal("person-1", Role.applicant).model_copy(update={"name": "王小明"})


async def _issue(uow: FakeMaterialUnitOfWork, *, valid_until: date | None, code: str = "CODE1") -> None:
    await uow.licences.add(
        NewLicence(
            licence_type="birth_medical_cert",
            number=f"N-{code}",
            holder_id="person-1",
            issuing_department="nhc",
            valid_from=date(2025, 12, 1),
            valid_until=valid_until,
            verification_code=code,
            application_id="app-1",
            task_id=f"task-{code}",
            issued_at=datetime(2025, 12, 1, 2, 0, tzinfo=UTC),
        )
    )


async def test_a_licence_valid_until_30_november_reads_expired_when_it_is_already_1_december_in_china() -> (
    None
):
    uow = FakeMaterialUnitOfWork(clock=FixedClock(LATE_EVENING_UTC))
    await _issue(uow, valid_until=date(2026, 11, 30))

    rows, total = await list_licences(ListLicences(holder=HOLDER, licence_type=None, limit=20, offset=0), uow)

    assert total == 1 and [status for _, status in rows] == ["expired"]


async def test_listing_remembers_the_holders_name_for_verification() -> None:
    uow = FakeMaterialUnitOfWork()
    await _issue(uow, valid_until=None)

    await list_licences(
        ListLicences(holder=HOLDER, licence_type="birth_medical_cert", limit=20, offset=0), uow
    )

    assert uow.committed and uow.licences.rows[0].holder_name == "王小明"


async def test_a_verification_shows_the_masked_name_and_the_status_of_today_in_china() -> None:
    uow = FakeMaterialUnitOfWork(clock=FixedClock(LATE_EVENING_UTC))
    await _issue(uow, valid_until=date(2026, 12, 1))
    uow.licences.rows[0].holder_name = "王小明"

    seen = await verify_licence(" code1 ", uow)

    assert (seen.number, seen.holder_name_masked, seen.status) == ("N-CODE1", "王**", "valid")


async def test_an_unknown_verification_code_is_404() -> None:
    with pytest.raises(NotFoundError):
        await verify_licence("NOSUCHCODE", FakeMaterialUnitOfWork())


def _end(licence_id: str, department: str, action: LicenceStatus = LicenceStatus.revoked) -> EndLicence:
    officer = make_principal(f"officer-{department}", Role.officer).model_copy(
        update={"department": department}
    )
    return EndLicence(licence_id=licence_id, officer=officer, action=action, reason="以欺骗手段取得")


async def test_the_issuing_department_revokes_a_licence_with_its_reason_and_verification_shows_it() -> None:
    uow = FakeMaterialUnitOfWork(clock=FixedClock(LATE_EVENING_UTC))
    await _issue(uow, valid_until=None)
    [licence] = uow.licences.rows

    await end_licence_by_issuer(_end(licence.id, "nhc"), uow)

    assert uow.committed and (licence.status, licence.status_reason) == ("revoked", "以欺骗手段取得")
    assert licence.status_changed_by == "officer-nhc" and licence.status_changed_at == LATE_EVENING_UTC
    seen = await verify_licence("CODE1", uow)
    assert seen.status == "revoked" and seen.status_changed_on == date(2026, 12, 1)


async def test_revoking_and_cancelling_tell_the_holder_through_an_event_with_the_reason() -> None:
    uow = FakeMaterialUnitOfWork(clock=FixedClock(LATE_EVENING_UTC))
    await _issue(uow, valid_until=None, code="CODE1")
    await _issue(uow, valid_until=None, code="CODE2")
    first, second = uow.licences.rows

    await end_licence_by_issuer(_end(first.id, "nhc"), uow)
    await end_licence_by_issuer(_end(second.id, "nhc", LicenceStatus.cancelled), uow)

    assert [e.type for e in uow.emitted] == [
        "gov.onematter.licence.revoked",
        "gov.onematter.licence.cancelled",
    ]
    revoked = parse_payload(uow.emitted[0])
    assert isinstance(revoked, LicenceEnded)
    assert (revoked.holder_id, revoked.number, revoked.status) == ("person-1", "N-CODE1", "revoked")
    assert (revoked.reason, revoked.ended_at) == ("以欺骗手段取得", LATE_EVENING_UTC)


async def test_another_department_cannot_revoke_and_learns_nothing_of_the_licence() -> None:
    uow = FakeMaterialUnitOfWork()
    await _issue(uow, valid_until=None)
    [licence] = uow.licences.rows

    with pytest.raises(NotFoundError):
        await end_licence_by_issuer(_end(licence.id, "mps"), uow)

    assert licence.status == "valid" and not uow.committed and not uow.emitted


async def test_a_licence_already_cancelled_cannot_be_revoked() -> None:
    uow = FakeMaterialUnitOfWork()
    await _issue(uow, valid_until=None)
    [licence] = uow.licences.rows
    await end_licence_by_issuer(_end(licence.id, "nhc", LicenceStatus.cancelled), uow)

    with pytest.raises(ConflictError):
        await end_licence_by_issuer(_end(licence.id, "nhc"), uow)

    assert licence.status == "cancelled"


def _business_approval(task_id: str, number: str) -> TaskCompleted:
    uscc = r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"  # GB 32100-2015
    return TaskCompleted(
        task_id=task_id,
        application_id="app-1",
        acceptance_number="ONE-1",
        item_code="samr-business-licence",
        department="samr",
        applicant_id="acme-corp",
        outcome="approved",
        completed_at=LATE_EVENING_UTC,
        officer_id="officer-samr",
        licence_type="business_licence",
        licence_number=number,
        result=ItemResult(licence_type="business_licence", number_source="department", number_pattern=uscc),
    )


async def test_a_department_register_number_already_issued_for_the_type_issues_nothing_the_second_time() -> (
    None
):
    uow = FakeMaterialUnitOfWork(clock=FixedClock(LATE_EVENING_UTC))
    number = "91110108MA01ABCD2X"  # a well-formed unified social credit code (GB 32100-2015)

    first = await issue_licence(_business_approval("task-1", number), uow)
    second = await issue_licence(_business_approval("task-2", number), uow)

    assert first is not None and first.number == number
    assert second is None and len(uow.licences.rows) == 1
