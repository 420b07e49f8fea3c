"""情形引导 (situational guidance): a key matter's questions and the rules their answers trigger.

A matter publishes every item, material and form field it may need; questions and rules narrow that down
for one applicant. What a rule names is *conditional* — an item, material or form field named by some
rule's ``include_*`` / ``add_fields`` is left out unless a rule whose conditions hold selects it; what a
holding rule excludes or drops is left out whatever else selects it. Everything else always applies.
The evaluation is in ``onematter_catalog.domain.situations``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from onematter_events.envelope import EventPayload

__all__ = ["GuideCondition", "GuideOption", "GuideQuestion", "GuideRule", "MaterialSelector"]

_KEY = r"^[a-z][a-z0-9_-]{0,63}$"


class GuideOption(EventPayload):
    value: str = Field(pattern=_KEY)
    label_zh: str = Field(min_length=1, max_length=200)
    label_en: str = Field(default="", max_length=300)


class GuideQuestion(EventPayload):
    """A question: ``single`` takes exactly one option, ``multiple`` any number (none included); the
    catalog publishes only questions with at least two options."""

    key: str = Field(pattern=_KEY)
    text_zh: str = Field(min_length=1, max_length=300)
    text_en: str = Field(default="", max_length=500)
    help_zh: str = Field(default="", max_length=1000)
    help_en: str = Field(default="", max_length=2000)
    choice: Literal["single", "multiple"] = "single"
    options: list[GuideOption] = Field(min_length=1, max_length=30)


class GuideCondition(EventPayload):
    """Holds when the answer to ``question`` is (single) or contains (multiple) one of ``any_of``."""

    question: str = Field(pattern=_KEY)
    any_of: list[str] = Field(min_length=1, max_length=30)


class MaterialSelector(EventPayload):
    """A material of one item, or of every item of the matter when ``item`` is None."""

    material_type: str
    item: str | None = None


class GuideRule(EventPayload):
    """When every condition holds: select or leave out items, materials and form fields."""

    when: list[GuideCondition] = Field(min_length=1, max_length=10)
    include_items: list[str] = Field(default_factory=list)
    exclude_items: list[str] = Field(default_factory=list)
    include_materials: list[MaterialSelector] = Field(default_factory=list)
    exclude_materials: list[MaterialSelector] = Field(default_factory=list)
    add_fields: list[str] = Field(default_factory=list)
    drop_fields: list[str] = Field(default_factory=list)
    #: Why, in words an applicant understands (shown in the guide for answers).
    note_zh: str = Field(default="", max_length=500)
