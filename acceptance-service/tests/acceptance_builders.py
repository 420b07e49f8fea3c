"""Builders of acceptance's domain objects and callers for unit tests: an application accepted as the
domain accepts it, the material client on the in-memory material service, a department's officer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from acceptance_testing import MATERIAL_NAMES, FakeMaterialService, newborn_form, newborn_matter
from onematter_acceptance.adapters.material_client import MaterialClient
from onematter_acceptance.domain.acceptance import Submission, accept
from onematter_acceptance.domain.application import Application
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.materials import resolve_materials
from onematter_events.matters import MatterPublished
from onematter_kit.identity import InternalTokenSigner, Principal
from onematter_kit.settings import DEVELOPMENT_INTERNAL_SECRET
from onematter_testkit import make_principal, random_id
from onematter_workdays import notice_from_dict

__all__ = [
    "ALL_MATERIALS",
    "accepted_newborn",
    "material_client",
    "notice_2027",
    "officer",
    "official_2027",
]


def notice_2027(**overrides: Any) -> dict[str, Any]:
    """A MADE-UP official notice for 2027 (the real one is not published as these tests are written), valid
    under the 2024 statute: 元旦 01-01..03, 春节 02-05..12 with Saturday 02-20 worked (调休), and so on."""
    notice: dict[str, Any] = {
        "year": 2027,
        "document_number": "国办发明电〔2026〕99号",
        "issued_on": "2026-11-20",
        "version": 1,
        "holidays": [
            {"name": "元旦", "first": "2027-01-01", "last": "2027-01-03"},
            {"name": "春节", "first": "2027-02-05", "last": "2027-02-12"},
            {"name": "清明节", "first": "2027-04-03", "last": "2027-04-05"},
            {"name": "劳动节", "first": "2027-05-01", "last": "2027-05-05"},
            {"name": "端午节", "first": "2027-06-09", "last": "2027-06-09"},
            {"name": "中秋节", "first": "2027-09-15", "last": "2027-09-15"},
            {"name": "国庆节", "first": "2027-10-01", "last": "2027-10-07"},
        ],
        "adjusted_workdays": [
            {"date": "2027-02-20", "holiday": "春节"},
            {"date": "2027-05-08", "holiday": "劳动节"},
            {"date": "2027-09-26", "holiday": "国庆节"},
            {"date": "2027-10-09", "holiday": "国庆节"},
        ],
    }
    return notice | overrides


def official_2027() -> WorkCalendar:
    """The national calendar with :func:`notice_2027` loaded."""
    return WorkCalendar([notice_from_dict(notice_2027())])


def material_client(service: FakeMaterialService) -> MaterialClient:
    """The real material client, talking to ``service`` through ``httpx.MockTransport``."""
    signer = InternalTokenSigner(DEVELOPMENT_INTERNAL_SECRET, issuer="onematter-acceptance")
    return MaterialClient(base_url="http://material", signer=signer, transport=service.transport())


#: One material id per material type of 新生儿出生一件事, as an applicant who uploaded everything names them.
ALL_MATERIALS = {t: f"m-{t}" for t in MATERIAL_NAMES}


def accepted_newborn(
    *,
    now: datetime,
    applicant: str = "zhangsan",
    materials: dict[str, str] | None = None,
    matter: MatterPublished | None = None,
    calendar: WorkCalendar | None = None,
    sequence: int = 1,
) -> Application:
    """新生儿出生一件事 accepted at ``now`` with every named material the applicant's own."""
    matter = matter or newborn_matter()
    provided = ALL_MATERIALS if materials is None else materials
    resolution = resolve_materials(
        matter=matter,
        provided=provided,
        owned={v: k for k, v in provided.items()},
        licences={},
        form=newborn_form(),
    )
    assert resolution.errors == [], resolution.errors
    return accept(
        Submission(applicant_id=applicant, submitted_by=applicant, channel="online", form=newborn_form()),
        application_id=random_id("app"),
        sequence=sequence,
        now=now,
        matter=matter,
        resolution=resolution,
        earlier_material_ids=set(),
        calendar=calendar or WorkCalendar(),
    )


def officer(department: str) -> Principal:
    """The demo officer of ``department``."""
    return make_principal(f"officer-{department}", "officer", department=department)
