"""Events of the matter catalog (matter-catalog-service) on the ``onematter.catalog`` stream.

A published event carries the whole published version, so consumers keep a local copy and never call
the catalog on a hot path. Key: the matter code.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from onematter_events.elements import (
    ContactChannel,
    FaqEntry,
    LegalBasis,
    MaterialSource,
    ProcessStep,
    ServiceObject,
    SpecialProcedure,
)
from onematter_events.envelope import EventPayload
from onematter_events.guidance import GuideQuestion, GuideRule

__all__ = [
    "DEFAULT_CHANNELS",
    "MATTER_PUBLISHED",
    "MATTER_RETIRED",
    "SOURCE",
    "Channel",
    "Consequence",
    "DeferralTerm",
    "DueTerm",
    "ItemFee",
    "ItemMaterial",
    "ItemResult",
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


#: What happens when a due date passes unanswered: 不予受理 (``not_accepted``) or 终止办理 (``terminated``).
Consequence = Literal["not_accepted", "terminated"]


class DueTerm(EventPayload):
    """How long the applicant has to hand a material in, and what happens when that passes unanswered.

    * ``working_days`` — counted from the day of the request (补正) or of acceptance (容缺), on the legal
      calendar; the platform default is 5 (issue 15, "e.g. 5 working days"). 《中华人民共和国行政许可法》
      第三十二条 requires 补正 to be asked 一次告知 (all at once) but sets no answer time, so the term is
      the item's own;
    * ``consequence`` — 不予受理 (``not_accepted``) or 终止办理 (``terminated``), as the item declares;
    * ``basis`` — the item's legal basis for that consequence, quoted by the item; empty: "per the item"
      (按事项规定), since no general law text states one.
    """

    working_days: int = Field(default=5, ge=1, le=60)
    consequence: Consequence = "not_accepted"
    basis: str = Field(default="", max_length=2000)


class DeferralTerm(DueTerm):
    """A deferrable (容缺) material's term; ``decide_before_arrival``: the department may decide the item
    before the material arrives (otherwise an approval waits for it)."""

    decide_before_arrival: bool = False


class ItemMaterial(EventPayload):
    """A material one service item needs."""

    material_type: str
    key: bool = True
    #: 容缺受理 — may be handed in after acceptance, within ``deferral.working_days`` working days (the
    #: matter's ``supplement_days`` in payloads published before items had terms).
    deferrable: bool = False
    #: The deferrable material's term and consequence; None for other materials and older payloads.
    deferral: DeferralTerm | None = None
    #: 告知承诺 — the applicant's signed commitment may replace it; the department verifies afterwards.
    commitment_allowed: bool = False
    form: Literal["original", "copy", "electronic"] = "electronic"
    #: 来源渠道; None in payloads published before materials had one.
    source: MaterialSource | None = None
    #: 份数 of a paper original or copy; None for electronic materials and older payloads.
    copies: int | None = Field(default=None, ge=1, le=20)
    #: 空表 and 样表: where the blank form and a filled-in sample can be downloaded.
    blank_form_url: str | None = Field(default=None, max_length=500)
    sample_url: str | None = Field(default=None, max_length=500)
    #: An earlier item of the same matter whose result (办理结果, a licence of this type) satisfies the
    #: material inside the bundle: once that item issued it, nobody uploads it. Acceptance does not yet
    #: order its tasks by it (issue 21 item 4 — a later step); None: the applicant provides it.
    from_item: str | None = None


class ItemFee(EventPayload):
    """What an item costs the applicant: free, or an amount in yuan and the basis for charging it."""

    free: bool = True
    amount_yuan: str | None = None
    #: 收费依据 — for a free item, the rule that makes it free (e.g. 行政许可法 第五十八条).
    basis: str = ""
    #: 收费标准 in words, when the amount depends on the case (e.g. per square metre per day).
    standard: str = Field(default="", max_length=1000)


class ItemResult(EventPayload):
    """What approving a service item issues (办理结果): one electronic licence (电子证照) type and its rules.

    * number — ``generated``: ``<number_prefix>-<YYYYMMDD, the issue date in China>-<6-digit sequence of
      that type and day>``; ``department``: the department supplies its own register number (e.g. the
      unified social credit code on a 营业执照), which must fully match ``number_pattern``;
    * validity — ``validity_years`` None: permanent (长期有效); N: until the same day N years after issue
      (a department may shorten it, never extend it);
    * subject — whom the licence is about: the form field holding the subject's name and, if any, ID
      (the newborn's ``newborn_name`` for 出生医学证明 held by the parent as guardian); None: the holder.
    """

    licence_type: str
    number_source: Literal["generated", "department"] = "generated"
    number_prefix: str = Field(default="", pattern=r"^[A-Z0-9]{0,12}$")
    number_pattern: str | None = Field(default=None, max_length=200)
    validity_years: int | None = Field(default=None, ge=1, le=100)
    subject_name_field: str | None = None
    subject_id_field: str | None = None

    def valid_until_from(self, issued_on: date) -> date | None:
        """The last valid day by the rule: the same day ``validity_years`` after ``issued_on`` (29 February
        → 28 February); None: permanent."""
        if self.validity_years is None:
            return None
        year = issued_on.year + self.validity_years
        try:
            return issued_on.replace(year=year)
        except ValueError:
            return issued_on.replace(year=year, day=28)

    @classmethod
    def default_for(cls, licence_type: str) -> ItemResult:
        """The result of an item that names only its licence type (older drafts and payloads): a generated
        number prefixed with the type's initials (birth_medical_cert → BMC), permanent, the holder's."""
        prefix = "".join(word[0] for word in licence_type.split("_") if word).upper()[:12]
        return cls(licence_type=licence_type, number_prefix=prefix)


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
    #: 办理结果 — the licence an approval issues and its rules; None: no licence (or an older payload).
    result: ItemResult | None = None
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
    #: The default 补正 term and its consequence; None in payloads published before items had terms (the
    #: matter's ``supplement_days``, 不予受理, apply then).
    supplement_term: DueTerm | None = None
    # The implementation-list elements of issue 21 (empty in payloads published before them).
    #: 设定依据, law and article; ``legal_basis`` above is their citation as one line.
    legal_bases: list[LegalBasis] = Field(default_factory=list)
    implementing_body: str = ""  # 实施主体
    service_objects: list[ServiceObject] = Field(default_factory=list)  # 服务对象
    process: list[ProcessStep] = Field(default_factory=list)  # 办理流程
    special_procedures: list[SpecialProcedure] = Field(default_factory=list)  # 特别程序
    place: str = ""  # 办理地点 (free text until service places exist)
    hours: str = ""  # 办理时间
    consultation: list[ContactChannel] = Field(default_factory=list)  # 咨询方式
    complaint: list[ContactChannel] = Field(default_factory=list)  # 监督投诉方式
    faq: list[FaqEntry] = Field(default_factory=list)  # 常见问题
    #: Elements whose values are demonstration values, not a locality's published ones (e.g. ``place``).
    demonstration: list[str] = Field(default_factory=list)


class MergedMaterial(EventPayload):
    material_type: str
    name_zh: str
    name_en: str
    key: bool
    deferrable: bool
    commitment_allowed: bool
    licence: bool
    items: list[str]
    #: The item of this matter whose result satisfies the material for every item needing it (no upload);
    #: None when at least one item needs it from the applicant.
    in_bundle_from: str | None = None


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
    #: 情形引导: the questions that tailor the guide, form and materials, and their rules (empty: none).
    questions: list[GuideQuestion] = Field(default_factory=list)
    rules: list[GuideRule] = Field(default_factory=list)


class MatterRetired(EventPayload):
    matter_code: str
    version: int
    retired_at: datetime
