"""Events of the matter catalog (matter-catalog-service) on the ``onematter.catalog`` stream.

A published event carries the whole published version, so consumers keep a local copy and never call
the catalog on a hot path. Key: the matter code.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from onematter_events.envelope import EventPayload

__all__ = [
    "DEFAULT_CHANNELS",
    "MATTER_PUBLISHED",
    "MATTER_RETIRED",
    "SOURCE",
    "Channel",
    "ItemFee",
    "ItemMaterial",
    "MatterPublished",
    "MatterRetired",
    "MergedMaterial",
    "PublishedItem",
]

SOURCE = "/onematter/matter-catalog"
MATTER_PUBLISHED = "gov.onematter.matter.published"
MATTER_RETIRED = "gov.onematter.matter.retired"

Channel = Literal["online", "window", "kiosk"]
#: Where an item is handled when its definition does not say: online and at a service-hall window.
DEFAULT_CHANNELS: tuple[Channel, ...] = ("online", "window")


class ItemMaterial(EventPayload):
    """A material one service item needs."""

    material_type: str
    key: bool = True
    #: 容缺受理 — may be handed in after acceptance, within ``supplement_days`` working days.
    deferrable: bool = False
    #: 告知承诺 — the applicant's signed commitment may replace it; the department verifies afterwards.
    commitment_allowed: bool = False
    form: Literal["original", "copy", "electronic"] = "electronic"


class ItemFee(EventPayload):
    """What an item costs the applicant: free, or an amount in yuan and the basis for charging it."""

    free: bool = True
    amount_yuan: str | None = None
    basis: str = ""


class PublishedItem(EventPayload):
    """A service item (事项) as published within a key matter."""

    code: str
    name_zh: str
    name_en: str
    department: str
    kind: str
    committed_days: int
    statutory_days: int
    materials: list[ItemMaterial]
    form_fields: list[str]
    issues_licence: str | None = None
    visits_required: int = 0
    # Optional standard elements of the implementation list (added for the one-time guide; defaults keep
    # older payloads valid).
    legal_basis: str = ""
    conditions: list[str] = Field(default_factory=list)
    fee: ItemFee = ItemFee()
    channels: list[Channel] = Field(default_factory=lambda: list(DEFAULT_CHANNELS))
    #: The department's names, so consumers (guide pages, statistics) need not ask the catalog; empty in
    #: payloads published before they were added.
    department_name_zh: str = ""
    department_name_en: str = ""


class MergedMaterial(EventPayload):
    material_type: str
    name_zh: str
    name_en: str
    key: bool
    deferrable: bool
    commitment_allowed: bool
    licence: bool
    items: list[str]


class MatterPublished(EventPayload):
    matter_code: str
    version: int
    name_zh: str
    name_en: str
    subject: Literal["individual", "enterprise"]
    stage: str
    lead_department: str
    items: list[PublishedItem]
    materials: list[MergedMaterial]
    #: The one form: a JSON Schema (draft 2020-12).
    form_schema: dict[str, Any]
    #: form field → the item codes that need it.
    field_items: dict[str, list[str]]
    committed_days: int
    supplement_days: int = 5
    published_at: datetime


class MatterRetired(EventPayload):
    matter_code: str
    version: int
    retired_at: datetime
