"""Life stages (individuals) and business stages (enterprises): how the portal groups key matters.

The vocabulary follows 国发〔2024〕3号, which names key matters "个人全生命周期" and "企业全生命周期";
the order is the order of a life or a business. A matter's ``stage`` is a free code, so a stage the
catalog uses but this list lacks is still shown, with its code as its name, after the known ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["STAGES", "Stage", "stage_rows"]


@dataclass(frozen=True)
class Stage:
    code: str
    subject: str  # "individual" | "enterprise"
    name_zh: str
    name_en: str


STAGES: tuple[Stage, ...] = (
    Stage("birth", "individual", "出生", "Birth"),
    Stage("education", "individual", "入学教育", "Education"),
    Stage("employment", "individual", "就业创业", "Employment"),
    Stage("life", "individual", "社会保障与生活", "Daily life and social security"),
    Stage("housing", "individual", "住房", "Housing"),
    Stage("marriage", "individual", "婚育", "Marriage and family"),
    Stage("assistance", "individual", "扶残助困", "Assistance"),
    Stage("retirement", "individual", "退休养老", "Retirement"),
    Stage("death", "individual", "身后事", "After death"),
    Stage("establishment", "enterprise", "开办准营", "Establishment"),
    Stage("construction", "enterprise", "工程建设", "Construction"),
    Stage("operation", "enterprise", "经营运营", "Operation"),
    Stage("development", "enterprise", "发展壮大", "Development"),
    Stage("exit", "enterprise", "注销退出", "Exit"),
)


def stage_rows(counts: Mapping[tuple[str, str], int], *, subject: str | None = None) -> list[dict[str, Any]]:
    """Known stages in life/business order (with 0 where no matter is published), then unknown ones.

    ``counts``: (subject, stage) → published matters.
    """
    known = {(s.subject, s.code) for s in STAGES}
    rows = [
        {**vars(s), "matters": counts.get((s.subject, s.code), 0)}
        for s in STAGES
        if subject in (None, s.subject)
    ]
    rows += [
        {"code": code, "subject": subj, "name_zh": code, "name_en": code, "matters": n}
        for (subj, code), n in sorted(counts.items())
        if (subj, code) not in known and subject in (None, subj)
    ]
    return rows
