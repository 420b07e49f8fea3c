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
from onematter_testkit.notices import made_up_notice_2027
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
    """The made-up 2027 notice the whole test suite shares (see ``onematter_testkit.notices``)."""
    return made_up_notice_2027(**overrides)


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
