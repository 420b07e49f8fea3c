"""The standard elements of a service item's implementation list (实施清单) and guide (办事指南).

Every element is optional in the payload (defaults keep payloads published before them valid); the catalog
refuses to publish an item missing a required one (see ``onematter_catalog.domain.elements``). The element
list follows the national implementation-list and service-guide elements: 设定依据, 实施主体, 服务对象,
受理条件, 申请材料 (必要性, 来源渠道, 形式, 份数, 空表/样表), 办理流程 (with 特别程序), 法定/承诺时限, 收费,
办理地点与时间, 到现场次数, 咨询/监督投诉方式, 常见问题.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from onematter_events.envelope import EventPayload

__all__ = [
    "SPECIAL_PROCEDURE_LABELS",
    "ContactChannel",
    "FaqEntry",
    "LegalBasis",
    "MaterialSource",
    "ProcessStep",
    "ServiceObject",
    "SpecialProcedure",
    "SpecialProcedureKind",
]

#: 来源渠道 of a material: the applicant hands it in (申请人自备), a government body issues it (政府部门核发),
#: or the department obtains it by data sharing (数据共享获取), so the applicant hands in nothing.
MaterialSource = Literal["applicant", "government", "data_sharing"]
#: 服务对象: natural persons (自然人) and legal persons or other organisations (法人/非法人组织).
ServiceObject = Literal["natural_person", "legal_person"]
#: 特别程序 — procedures whose time does not count toward the item's limit (《中华人民共和国行政许可法》
#: 第四十五条: 听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审 are not counted).
SpecialProcedureKind = Literal["inspection", "testing", "expert_review", "public_notice", "hearing"]
SPECIAL_PROCEDURE_LABELS: dict[str, str] = {
    "inspection": "现场检查",
    "testing": "检验检测",
    "expert_review": "专家评审",
    "public_notice": "公示",
    "hearing": "听证",
}


class LegalBasis(EventPayload):
    """设定依据: a law or regulation and the article that sets up the item.

    ``law`` is the title with its book-title marks (《中华人民共和国母婴保健法》); ``article`` the article
    (第二十三条), empty when the whole act is the basis.
    """

    law: str = Field(min_length=1, max_length=200)
    article: str = Field(default="", max_length=200)

    def cite(self) -> str:
        """``《…》第…条`` — how a guide cites it."""
        return f"{self.law}{self.article}"


class ProcessStep(EventPayload):
    """One step of 办理流程 (受理, 审查, 决定, 送达 …) and its own limit in working days (None: same day)."""

    name_zh: str = Field(min_length=1, max_length=100)
    name_en: str = Field(default="", max_length=200)
    working_days: int | None = Field(default=None, ge=0, le=365)


class SpecialProcedure(EventPayload):
    """A 特别程序 — its time does not count toward the item's limit; ``max_working_days`` says how long it
    may take (None: as long as the procedure needs, told to the applicant in writing)."""

    procedure: SpecialProcedureKind
    description_zh: str = Field(default="", max_length=500)
    max_working_days: int | None = Field(default=None, ge=1, le=365)


class ContactChannel(EventPayload):
    """A 咨询 or 监督投诉 channel: a telephone number, a web address, a window or a postal address."""

    channel: Literal["phone", "online", "window", "mail"]
    value: str = Field(min_length=1, max_length=300)


class FaqEntry(EventPayload):
    """常见问题: a question applicants ask, and the answer."""

    question: str = Field(min_length=1, max_length=500)
    answer: str = Field(min_length=1, max_length=2000)
