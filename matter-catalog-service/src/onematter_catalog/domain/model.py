"""The catalog's data: departments, material types, form fields, service items (事项), key matters (一件事).

Pure values (frozen pydantic models): no I/O. A key matter is edited as a :class:`MatterSpec` draft; what is
published is computed from it by :mod:`onematter_catalog.domain.views`.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, Literal

from onematter_events.elements import (
    ContactChannel,
    FaqEntry,
    LegalBasis,
    MaterialSource,
    ProcessStep,
    ServiceObject,
    SpecialProcedure,
)
from onematter_events.guidance import GuideQuestion, GuideRule
from onematter_events.matters import DEFAULT_CHANNELS, Channel, DeferralTerm, DueTerm, ItemFee, ItemResult
from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "CODE_PATTERN",
    "KIND_LABELS",
    "Channel",
    "DeferralTerm",
    "Department",
    "DueTerm",
    "FieldSpec",
    "ItemFee",
    "ItemKind",
    "ItemResult",
    "ItemSpec",
    "MaterialRequirement",
    "MaterialType",
    "MatterSpec",
    "ResultInBundle",
    "Subject",
]

#: Codes of matters, items, departments and material types: lowercase, stable, URL-safe.
CODE_PATTERN = r"^[a-z][a-z0-9_-]{1,63}$"
FIELD_NAME_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"
Subject = Literal["individual", "enterprise"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ItemKind(StrEnum):
    """The kind of a government service item, as in the national implementation-list standard."""

    licence = "administrative_licence"  # 行政许可
    confirmation = "administrative_confirmation"  # 行政确认
    payment = "administrative_payment"  # 行政给付
    public_service = "public_service"  # 公共服务


KIND_LABELS: dict[ItemKind, tuple[str, str]] = {
    ItemKind.licence: ("行政许可", "Administrative licence"),
    ItemKind.confirmation: ("行政确认", "Administrative confirmation"),
    ItemKind.payment: ("行政给付", "Administrative payment"),
    ItemKind.public_service: ("公共服务", "Public service"),
}


class Department(_Frozen):
    code: str = Field(pattern=r"^[a-z][a-z0-9-]{1,31}$")
    name_zh: str = Field(min_length=1, max_length=100)
    name_en: str = Field(min_length=1, max_length=200)


class MaterialType(_Frozen):
    code: str = Field(pattern=CODE_PATTERN)
    name_zh: str = Field(min_length=1, max_length=100)
    name_en: str = Field(min_length=1, max_length=200)
    #: Issued as an electronic licence (电子证照): an issued licence satisfies it without upload (免证办).
    licence: bool = False


class FieldSpec(_Frozen):
    """One field of the one form, defined once and reused by every item that needs it."""

    name: str = Field(pattern=FIELD_NAME_PATTERN)
    title_zh: str = Field(min_length=1, max_length=100)
    title_en: str = Field(min_length=1, max_length=200)
    type: Literal["string", "boolean", "integer", "number"] = "string"
    format: Literal["date", "email", "date-time"] | None = None
    pattern: str | None = None
    enum: list[Any] | None = None
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1)
    #: A value that passes this field's schema, shown to front-ends and checked by tests.
    example: Any
    required: bool = True

    @model_validator(mode="after")
    def _pattern_compiles(self) -> FieldSpec:
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(
                    f"pattern of field {self.name!r} is not a regular expression: {exc}"
                ) from None
        return self

    def to_schema(self) -> dict[str, Any]:
        """The JSON Schema (draft 2020-12) of this field; ``title`` is Chinese, ``x-title-en`` English."""
        schema: dict[str, Any] = {"type": self.type, "title": self.title_zh, "x-title-en": self.title_en}
        optional = {
            "format": self.format,
            "pattern": self.pattern,
            "enum": self.enum,
            "minLength": self.min_length,
            "maxLength": self.max_length,
        }
        schema.update({key: value for key, value in optional.items() if value is not None})
        schema["examples"] = [self.example]
        return schema

    def validation_schema(self) -> dict[str, Any]:
        """The parts that decide which values are valid (titles and examples may differ without conflict)."""
        return {k: v for k, v in self.to_schema().items() if k not in ("title", "x-title-en", "examples")}


class MaterialRequirement(_Frozen):
    """A material one item needs, and how strictly (see ``onematter_events.matters.ItemMaterial``)."""

    material_type: str = Field(pattern=CODE_PATTERN)
    key: bool = True
    #: 容缺受理: may be handed in after acceptance. Only a non-key material can be deferred.
    deferrable: bool = False
    #: 告知承诺: the applicant's signed commitment may replace it; the department verifies afterwards.
    commitment_allowed: bool = False
    form: Literal["original", "copy", "electronic"] = "electronic"
    #: The deferrable material's term, consequence and whether the item may be decided before it arrives;
    #: None: the matter's ``supplement_days``, 不予受理, decided only after it arrives.
    deferral: DeferralTerm | None = None
    #: 来源渠道, 份数 (paper only), 空表 and 样表 (see ``onematter_events.matters.ItemMaterial``).
    source: MaterialSource | None = None
    copies: int | None = Field(default=None, ge=1, le=20)
    blank_form_url: str | None = Field(default=None, max_length=500)
    sample_url: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _key_materials_are_not_deferred(self) -> MaterialRequirement:
        if self.key and self.deferrable:
            raise ValueError(
                f"material {self.material_type!r}: a key material cannot be deferred (容缺 "
                "applies only to secondary materials)"
            )
        if self.deferral is not None and not self.deferrable:
            raise ValueError(
                f"material {self.material_type!r}: only a deferrable material has a deferral term"
            )
        return self


class ItemSpec(_Frozen):
    """A service item (事项) with the standard elements of an implementation list."""

    code: str = Field(pattern=CODE_PATTERN)
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=300)
    department: str
    kind: ItemKind
    legal_basis: str = Field(default="", max_length=2000)
    conditions: list[str] = Field(default_factory=list, max_length=50)
    materials: list[MaterialRequirement] = Field(default_factory=list, max_length=100)
    statutory_days: int = Field(ge=1, le=365)
    committed_days: int = Field(ge=1, le=365)
    fee: ItemFee = ItemFee()
    channels: list[Channel] = Field(default_factory=lambda: list(DEFAULT_CHANNELS), min_length=1)
    visits_required: int = Field(default=0, ge=0, le=10)
    #: Kept for older drafts: the licence type alone, read as ``result`` with the default rules.
    issues_licence: str | None = None
    #: 办理结果 — the licence approving the item issues and its rules; None: it issues none.
    result: ItemResult | None = None
    form_fields: list[FieldSpec] = Field(default_factory=list, max_length=100)
    #: 补正: the default answer time, and what happens when it passes unanswered; None: the matter's
    #: ``supplement_days`` and 不予受理 (see ``onematter_events.matters.DueTerm`` for the sources).
    supplement_term: DueTerm | None = None
    # The implementation-list elements (issue 21; ``onematter_events.elements``). Optional in a draft,
    # required to publish (``onematter_catalog.domain.elements``).
    legal_bases: list[LegalBasis] = Field(default_factory=list, max_length=20)
    implementing_body: str = Field(default="", max_length=200)
    service_objects: list[ServiceObject] = Field(default_factory=list, max_length=2)
    process: list[ProcessStep] = Field(default_factory=list, max_length=20)
    special_procedures: list[SpecialProcedure] = Field(default_factory=list, max_length=10)
    place: str = Field(default="", max_length=500)
    hours: str = Field(default="", max_length=500)
    consultation: list[ContactChannel] = Field(default_factory=list, max_length=10)
    complaint: list[ContactChannel] = Field(default_factory=list, max_length=10)
    faq: list[FaqEntry] = Field(default_factory=list, max_length=30)
    demonstration: list[str] = Field(default_factory=list, max_length=30)

    @model_validator(mode="before")
    @classmethod
    def _legal_basis_cites_the_bases(cls, data: Any) -> Any:
        """A draft giving only ``legal_bases`` gets ``legal_basis`` as their citation, one line."""
        if isinstance(data, dict) and data.get("legal_bases") and not data.get("legal_basis"):
            bases = [LegalBasis.model_validate(b) for b in data["legal_bases"]]
            return {**data, "legal_basis": "；".join(b.cite() for b in bases)}
        return data

    @model_validator(mode="before")
    @classmethod
    def _result_from_issues_licence(cls, data: Any) -> Any:
        """An older draft names only ``issues_licence``: a generated number, permanent, the holder's."""
        if isinstance(data, dict) and data.get("issues_licence") and not data.get("result"):
            return {**data, "result": ItemResult.default_for(data["issues_licence"])}
        return data

    @model_validator(mode="after")
    def _issues_what_its_result_says(self) -> ItemSpec:
        declared = self.result.licence_type if self.result else None
        if self.issues_licence is not None and self.issues_licence != declared:
            raise ValueError(
                f"item {self.code!r}: issues_licence {self.issues_licence!r} differs from its result "
                f"{declared!r}"
            )
        return self

    @model_validator(mode="after")
    def _committed_within_statutory(self) -> ItemSpec:
        if self.committed_days > self.statutory_days:
            raise ValueError(
                f"item {self.code!r}: committed_days ({self.committed_days}) must not exceed "
                f"statutory_days ({self.statutory_days})"
            )
        return self


class ResultInBundle(_Frozen):
    """办理结果 inside the bundle: ``item``'s material ``material_type`` is the result of ``from_item``, an
    earlier item of the same matter. A property of the matter, not of the item: the same item in another
    matter without ``from_item`` still asks the applicant (see ``ItemMaterial.from_item`` in the events)."""

    item: str = Field(pattern=CODE_PATTERN)
    material_type: str = Field(pattern=CODE_PATTERN)
    from_item: str = Field(pattern=CODE_PATTERN)


class MatterSpec(_Frozen):
    """A key matter (一件事) as an admin edits it: what the published version is computed from."""

    code: str = Field(pattern=CODE_PATTERN)
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=300)
    subject: Subject
    stage: str = Field(pattern=CODE_PATTERN)
    lead_department: str
    #: Working days the applicant has to hand in a deferred (容缺) material or a supplement (补正).
    supplement_days: int = Field(default=5, ge=1, le=60)
    items: list[ItemSpec] = Field(max_length=50)
    #: 情形引导: questions and the rules their answers trigger (``onematter_events.guidance``).
    questions: list[GuideQuestion] = Field(default_factory=list, max_length=20)
    rules: list[GuideRule] = Field(default_factory=list, max_length=100)
    results_in_bundle: list[ResultInBundle] = Field(default_factory=list, max_length=100)

    def result_sources(self) -> dict[tuple[str, str], str]:
        """(item, material type) → the earlier item whose result gives it."""
        return {(r.item, r.material_type): r.from_item for r in self.results_in_bundle}

    def departments(self) -> list[str]:
        """Every department involved, the lead first, without repeats."""
        return list(dict.fromkeys([self.lead_department, *(item.department for item in self.items)]))
