"""Events of material sharing (material-service) on the ``onematter.materials`` stream. Key: the owner id."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from onematter_events.envelope import EventPayload

__all__ = [
    "LICENCE_CANCELLED",
    "LICENCE_ISSUED",
    "LICENCE_REVOKED",
    "MATERIAL_UPLOADED",
    "SOURCE",
    "LicenceEnded",
    "LicenceIssued",
    "MaterialUploaded",
]

SOURCE = "/onematter/material"
MATERIAL_UPLOADED = "gov.onematter.material.uploaded"
LICENCE_ISSUED = "gov.onematter.licence.issued"
LICENCE_REVOKED = "gov.onematter.licence.revoked"
LICENCE_CANCELLED = "gov.onematter.licence.cancelled"


class MaterialUploaded(EventPayload):
    material_id: str
    owner_id: str
    material_type: str
    sha256: str
    size: int
    media_type: str
    uploaded_at: datetime


class LicenceIssued(EventPayload):
    """电子证照 — issued to the holder; it satisfies the material type without an upload (免证办)."""

    licence_id: str
    holder_id: str
    licence_type: str
    number: str
    issuing_department: str
    valid_from: date
    valid_until: date | None = None
    application_id: str | None = None
    task_id: str | None = None
    issued_at: datetime
    #: Whom the licence is about when not the holder (the newborn's 出生医学证明 held by a parent); None:
    #: the holder.
    subject_name: str | None = None


class LicenceEnded(EventPayload):
    """The issuing department revoked (吊销) or cancelled (注销) a licence, with its reason; from then on it
    no longer replaces the material (免证办) and verification shows the new status."""

    licence_id: str
    holder_id: str
    licence_type: str
    number: str
    issuing_department: str
    status: Literal["revoked", "cancelled"]
    reason: str
    ended_at: datetime
    application_id: str | None = None
    task_id: str | None = None
