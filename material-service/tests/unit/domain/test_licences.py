"""Electronic licences: issued as the item declares (办理结果), China dates, numbers, verification codes,
status on a day, revocation, masked names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from onematter_events.applications import TaskCompleted
from onematter_events.matters import ItemResult
from onematter_material.domain.licences import (
    LicenceNotChangeable,
    LicenceStatus,
    declared_result,
    end_licence,
    issue_date,
    licence_for,
    mask_name,
    new_verification_code,
    status_on,
    verification,
)

#: 2026-12-01 04:04:52 in Beijing (issue 15's example).
LATE_EVENING_UTC = datetime(2026, 11, 30, 20, 4, 52, tzinfo=UTC)
CARD = ItemResult(licence_type="social_security_card", number_prefix="SBK", validity_years=10)
USCC = r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"  # GB 32100-2015
BUSINESS = ItemResult(licence_type="business_licence", number_source="department", number_pattern=USCC)


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
        "licence_type": "social_security_card",
        "result": CARD,
        "licence_subject_name": "张小宝",
    }
    return TaskCompleted.model_validate({**fields, **overrides})


def _issue(task: TaskCompleted, *, sequence: int = 1):  # type: ignore[no-untyped-def]
    result = declared_result(task)
    return None if result is None else licence_for(task, result, sequence=sequence, now=LATE_EVENING_UTC)


def test_an_approval_late_in_the_utc_evening_issues_a_licence_dated_the_next_day_in_china() -> None:
    licence = _issue(_approved(), sequence=7)
    assert licence is not None
    assert licence.valid_from == date(2026, 12, 1)
    # <prefix>-<issue date in China>-<sequence of the day>; a social security card runs ten years.
    assert licence.number == "SBK-20261201-000007" and licence.valid_until == date(2036, 12, 1)
    assert (licence.holder_id, licence.issuing_department, licence.task_id) == ("person-1", "nhc", "task-1")
    assert licence.subject_name == "张小宝" and licence.issued_at == LATE_EVENING_UTC


def test_a_validity_beyond_the_items_rule_is_cut_back_to_the_rule() -> None:
    licence = _issue(_approved(licence_valid_until=date(2099, 12, 31)))
    assert licence is not None and licence.valid_until == date(2036, 12, 1)


def test_an_approval_without_the_items_declaration_or_naming_another_type_issues_nothing() -> None:
    assert _issue(_approved(result=None)) is None
    assert _issue(_approved(licence_type="marriage_cert")) is None


def test_a_naive_approval_time_from_an_older_producer_is_read_as_utc() -> None:
    assert issue_date(datetime(2026, 11, 30, 20, 4, 52)) == date(2026, 12, 1)
    assert issue_date(datetime(2026, 11, 30, 15, 59, 59)) == date(2026, 11, 30)


def test_the_departments_own_licence_number_is_kept_when_it_matches_the_items_pattern() -> None:
    business = {"licence_type": "business_licence", "result": BUSINESS}
    licence = _issue(_approved(**business, licence_number="91110108MA01ABCD2X"))
    assert licence is not None and licence.number == "91110108MA01ABCD2X" and licence.valid_until is None
    assert _issue(_approved(**business, licence_number="X1")) is None
    assert _issue(_approved(**business)) is None


def test_a_rejection_or_an_approval_without_a_licence_type_issues_nothing() -> None:
    assert _issue(_approved(outcome="rejected", reason="照片不清晰")) is None
    assert _issue(_approved(licence_type=None)) is None


def test_a_licence_in_force_may_be_revoked_or_cancelled_once() -> None:
    assert end_licence("valid", LicenceStatus.revoked) is LicenceStatus.revoked
    assert end_licence("expired", LicenceStatus.cancelled) is LicenceStatus.cancelled
    with pytest.raises(LicenceNotChangeable):
        end_licence("revoked", LicenceStatus.cancelled)


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
    status_changed_at: datetime | None = None


def test_a_verification_shows_what_is_printed_with_the_name_masked_and_the_status_of_that_day() -> None:
    seen = verification(_Stored(), today=date(2026, 12, 1))
    assert (seen.number, seen.holder_name_masked, seen.status, seen.genuine) == (
        "N-1",
        "王**",
        "expired",
        True,
    )


def test_a_verification_of_a_revoked_licence_shows_the_status_issuer_and_dates_in_china() -> None:
    revoked = _Stored(status="revoked", valid_until=None, status_changed_at=LATE_EVENING_UTC)
    seen = verification(revoked, today=date(2026, 12, 1))
    assert (seen.status, seen.issuing_department, seen.issued_on) == ("revoked", "nhc", date(2020, 1, 1))
    assert seen.status_changed_on == date(2026, 12, 1)
