"""What the catalog's routes answer: one ``...Public`` schema per resource, so the OpenAPI document says
what comes back. Kept apart from the tables and the domain, so either can change without the contract.

Every timestamp is RFC 3339 in China Standard Time (``+08:00``; issue 15): a published version stores and
emits ``published_at`` in UTC, and shows the same instant here as Beijing time.
"""

from __future__ import annotations

from typing import Any, Literal

from onematter_events.elements import ContactChannel, FaqEntry, MaterialSource, ProcessStep, SpecialProcedure
from onematter_events.guidance import GuideQuestion
from onematter_events.matters import (
    DeferralTerm,
    DueTerm,
    ItemFee,
    MatterPublished,
    MatterRetired,
    MergedMaterial,
)
from onematter_kit.clock import ChinaTime
from pydantic import BaseModel, Field

from onematter_catalog.domain.model import ItemSpec, Subject

__all__ = [
    "CurrentMatterPublic",
    "DepartmentPublic",
    "DraftPublic",
    "GuidePublic",
    "ItemPublic",
    "MaterialTypePublic",
    "MatterRetiredPublic",
    "MatterSummaryPublic",
    "MatterVersionPublic",
    "StagePublic",
]


class MatterVersionPublic(MatterPublished):
    """A published version of a key matter (一件事), exactly as it was published (and emitted)."""

    published_at: ChinaTime


class CurrentMatterPublic(MatterVersionPublic):
    """The current published version; ``retired`` once no new applications are taken."""

    status: Literal["published", "retired"]


class MatterSummaryPublic(BaseModel):
    """A key matter in a list: its current version, how many service items it bundles, which departments."""

    matter_code: str
    version: int
    name_zh: str
    name_en: str
    subject: Subject
    stage: str
    lead_department: str
    committed_days: int
    items: int = Field(description="How many service items (事项) the matter bundles")
    departments: list[str] = Field(description="Every department involved, the lead first")


class StagePublic(BaseModel):
    """A life stage (individuals) or business stage (enterprises) with its published matters' count."""

    code: str
    subject: Subject
    name_zh: str
    name_en: str
    matters: int


class DepartmentPublic(BaseModel):
    code: str
    name_zh: str
    name_en: str


class MaterialTypePublic(BaseModel):
    code: str
    name_zh: str
    name_en: str
    licence: bool = Field(description="An electronic licence (电子证照) of this type can replace an upload")


class ItemPublic(ItemSpec):
    """A service item's newest published definition and the live matters that bundle it."""

    matters: list[str]


class MatterRetiredPublic(MatterRetired):
    retired_at: ChinaTime


class DraftPublic(BaseModel):
    """For admins: a key matter's draft, its state, and what publishing the draft would produce."""

    code: str
    status: Literal["draft", "published", "retired"]
    current_version: int | None
    draft_changed: bool = Field(description="The draft differs from the current published version")
    draft: dict[str, Any] = Field(description="The draft as the admin last submitted it")
    preview: MatterVersionPublic


class GuideDepartmentPublic(BaseModel):
    code: str
    name_zh: str
    name_en: str


class GuideDepartmentItemsPublic(GuideDepartmentPublic):
    items: list[str]


class GuideItemMaterialPublic(BaseModel):
    material_type: str
    source: MaterialSource | None = None
    form: Literal["original", "copy", "electronic"]
    copies: int | None = None


class GuideItemPublic(BaseModel):
    """One item of the guide with its implementation-list elements (empty for versions published before
    them); ``demonstration`` names the elements whose values are demonstration values."""

    code: str
    name_zh: str
    name_en: str
    department: str
    kind: str
    kind_zh: str
    legal_basis: str
    committed_days: int
    statutory_days: int
    #: 补正: the answer time and its consequence (issue 15); null for a version published before terms.
    supplement_term: DueTerm | None = None
    #: 容缺: each deferrable material's term, consequence and whether the item may be decided before it.
    deferral_terms: dict[str, DeferralTerm] = Field(default_factory=dict)
    legal_bases: list[str] = Field(default_factory=list, description="设定依据, each as 《law》article")
    implementing_body: str = ""
    conditions: list[str] = Field(default_factory=list)
    fee: ItemFee = ItemFee()
    process: list[ProcessStep] = Field(default_factory=list)
    special_procedures: list[SpecialProcedure] = Field(default_factory=list)
    place: str = ""
    hours: str = ""
    visits_required: int = 0
    consultation: list[ContactChannel] = Field(default_factory=list)
    complaint: list[ContactChannel] = Field(default_factory=list)
    faq: list[FaqEntry] = Field(default_factory=list)
    materials: list[GuideItemMaterialPublic] = Field(default_factory=list)
    demonstration: list[str] = Field(default_factory=list)


class GuideFeePublic(BaseModel):
    item: str
    amount_yuan: str | None
    basis: str


class GuideFeesPublic(BaseModel):
    free: bool
    charged: list[GuideFeePublic]


class GuidePublic(BaseModel):
    """The one-time guide (一次告知) of a key matter's current version."""

    matter_code: str
    version: int
    name_zh: str
    name_en: str
    subject: Subject
    lead_department: GuideDepartmentPublic
    conditions: list[str]
    materials: list[MergedMaterial]
    departments: list[GuideDepartmentItemsPublic]
    items: list[GuideItemPublic]
    fees: GuideFeesPublic
    committed_days: int = Field(description="Working days, items handled in parallel (并联办理)")
    sequential_days: int = Field(description="Working days if the items were handled one after another")
    supplement_days: int
    visits_required: int
    channels: list[str]
    form_fields: int = Field(description="How many fields the one form (一表申请) has")
    form_schema: dict[str, Any] = Field(description="The one form (JSON Schema), tailored to the answers")
    field_items: dict[str, list[str]] = Field(description="Form field → the items that need it")
    questions: list[GuideQuestion] = Field(description="情形引导: the questions that tailor the guide")
    answers: dict[str, list[str]] | None = Field(
        description="The answers the guide is tailored to; null: the whole matter"
    )
    notes: list[str] = Field(description="Why the answers changed the lists, in the applicant's words")
