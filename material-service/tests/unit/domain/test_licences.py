"""Electronic licences: China dates, numbers, verification codes, status on a day, masked names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from onematter_events.applications import TaskCompleted
from onematter_material.domain.licences import (
    LicenceStatus,
    issue_date,
    licence_for,
    mask_name,
    new_verification_code,
    status_on,
    verification,
)

#: 2026-12-01 04:04:52 in Beijing (issue 15's example).
LATE_EVENING_UTC = datetime(2026, 11, 30, 20, 4, 52, tzinfo=UTC)


def _approved(**overrides: object) -> TaskCompleted:
    fields: dict[str, object] = {
        "task_id": "task-1",
        "application_id": "app-1",
        "acceptance_number": "YJS-20261201-000001",
        "item_code": "birth-cert",
        "department": "nhc",
        "applicant_id": "person-1",
        "outcome": "approved",
        "completed_at": LATE_EVENING_UTC,
        "officer_id": "officer-1",
        "licence_type": "birth_medical_cert",
        "licence_valid_until": date(2099, 12, 31),
    }
    return TaskCompleted.model_validate({**fields, **overrides})


def test_an_approval_late_in_the_utc_evening_issues_a_licence_dated_the_next_day_in_china() -> None:
    licence = licence_for(_approved(), now=LATE_EVENING_UTC)
    assert licence is not None
    assert licence.valid_from == date(2026, 12, 1)
    assert licence.number.startswith("NHC-BIRTH_MEDICAL_CERT-20261201-")
    assert (licence.holder_id, licence.issuing_department, licence.task_id) == ("person-1", "nhc", "task-1")
    assert licence.issued_at == LATE_EVENING_UTC and licence.valid_until == date(2099, 12, 31)


def test_a_naive_approval_time_from_an_older_producer_is_read_as_utc() -> None:
    assert issue_date(datetime(2026, 11, 30, 20, 4, 52)) == date(2026, 12, 1)
    assert issue_date(datetime(2026, 11, 30, 15, 59, 59)) == date(2026, 11, 30)


def test_the_departments_own_licence_number_is_kept() -> None:
    licence = licence_for(_approved(licence_number="110105-2026-0001"), now=LATE_EVENING_UTC)
    assert licence is not None and licence.number == "110105-2026-0001"


def test_a_rejection_or_an_approval_without_a_licence_type_issues_nothing() -> None:
    assert licence_for(_approved(outcome="rejected", reason="照片不清晰"), now=LATE_EVENING_UTC) is None
    assert licence_for(_approved(licence_type=None), now=LATE_EVENING_UTC) is None


def test_verification_codes_are_long_random_and_unambiguous() -> None:
    codes = {new_verification_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(c) == 20 and not set(c) & set("01OIL") for c in codes)


def test_a_valid_licence_past_its_end_reads_expired() -> None:
    assert status_on("valid", valid_until=date(2020, 1, 1), today=date(2025, 1, 1)) is LicenceStatus.expired
    assert status_on("valid", valid_until=date(2025, 1, 1), today=date(2025, 1, 1)) is LicenceStatus.valid
    assert status_on("valid", valid_until=None, today=date(2025, 1, 1)) is LicenceStatus.valid
    assert status_on("revoked", valid_until=None, today=date(2025, 1, 1)) is LicenceStatus.revoked


def test_names_are_masked_after_the_first_character() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳小明") == "欧***"
    assert mask_name("王") == "王*"
    assert mask_name(None) is None


@dataclass(frozen=True)
class _Stored:
    licence_type: str = "birth_medical_cert"
    number: str = "N-1"
    issuing_department: str = "nhc"
    valid_from: date = date(2020, 1, 1)
    valid_until: date | None = date(2026, 11, 30)
    status: str = "valid"
    holder_name: str | None = "王小明"


def test_a_verification_shows_what_is_printed_with_the_name_masked_and_the_status_of_that_day() -> None:
    seen = verification(_Stored(), today=date(2026, 12, 1))
    assert (seen.number, seen.holder_name_masked, seen.status, seen.genuine) == (
        "N-1",
        "王**",
        "expired",
        True,
    )
