"""补正 and 容缺 due dates, enforced (issue 15): the item's terms, a reminder before, its consequence after.

Terms come from the catalog item (``onematter_events.matters.DueTerm``; 《中华人民共和国行政许可法》第三十二条
asks for 补正 to be requested all at once, 一次告知, but sets no answer time, so the working days and the
consequence — 不予受理 or 终止办理 — are the item's own, "per the item" where it quotes no basis).

The due date is the last day on which the material may be handed in: a reminder goes out once when it is
within the reminder horizon (by default one working day ahead), and the day after it passed unanswered the
task ends with the item's consequence. Pure: dates in, decisions out.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from onematter_events.duedates import DueKind
from onematter_events.matters import Consequence, DeferralTerm, DueTerm, PublishedItem

__all__ = [
    "CONSEQUENCE_ZH",
    "DueAlert",
    "DueKind",
    "ItemTerms",
    "Step",
    "expiry_reason",
    "step_on",
]

Step = Literal["reminder", "expired"]

#: The consequences in the words an applicant reads.
CONSEQUENCE_ZH: dict[Consequence, str] = {"not_accepted": "不予受理", "terminated": "终止办理"}
_WHAT_ZH: dict[DueKind, str] = {"supplement": "补正材料", "deferred": "容缺后补材料"}


@dataclass(frozen=True)
class ItemTerms:
    """A task's due-date terms, copied from its catalog item at acceptance (the item may change later).

    ``supplement``: the default 补正 term; ``deferral``: material type → the term of a deferrable (容缺)
    material. A material without a term of its own gets the defaults (5 working days, 不予受理, no decision
    before it arrives), as do tasks accepted before items had terms.
    """

    supplement: DueTerm = field(default_factory=DueTerm)
    deferral: Mapping[str, DeferralTerm] = field(default_factory=dict)

    @classmethod
    def of(cls, item: PublishedItem, *, default_days: int) -> ItemTerms:
        """The item's terms; an older payload without them gets the matter's ``default_days``."""
        fallback = DeferralTerm(working_days=default_days)
        return cls(
            supplement=item.supplement_term or DueTerm(working_days=default_days),
            deferral={m.material_type: m.deferral or fallback for m in item.materials if m.deferrable},
        )

    def deferral_for(self, material_type: str) -> DeferralTerm:
        return self.deferral.get(material_type) or DeferralTerm()

    def may_decide_without(self, material_type: str) -> bool:
        """Whether the item may be decided before the deferred ``material_type`` arrives."""
        return self.deferral_for(material_type).decide_before_arrival

    def earliest(self, materials: Collection[str]) -> tuple[str, DeferralTerm]:
        """The deferred material due first (the shortest term; ties: the first in order) and its term."""
        first = min(materials, key=lambda m: self.deferral_for(m).working_days)
        return first, self.deferral_for(first)


@dataclass(frozen=True)
class DueAlert:
    """One step of the due-date round for one task: a reminder, or the expiry that ended it."""

    step: Step
    due_for: DueKind
    materials: tuple[str, ...]
    due_on: date
    term: DueTerm

    @property
    def reason(self) -> str:
        return expiry_reason(self.due_for, due_on=self.due_on, term=self.term)


def step_on(due: date, *, reminded: bool, today: date, horizon: date) -> Step | None:
    """What is due on ``today``: ``expired`` once ``due`` is past, a ``reminder`` (once) when it is within
    ``horizon``, else nothing."""
    if due < today:
        return "expired"
    if due <= horizon and not reminded:
        return "reminder"
    return None


def expiry_reason(due_for: DueKind, *, due_on: date, term: DueTerm) -> str:
    """The reason the applicant and the department read, in Chinese, without codes; the basis is the
    item's text, or 按事项规定 (per the item) when it quotes none."""
    basis = f"依据{term.basis.strip()}" if term.basis.strip() else "按事项规定"
    consequence = CONSEQUENCE_ZH[term.consequence]
    return f"{_WHAT_ZH[due_for]}未在{due_on.isoformat()}前提交，{basis}，{consequence}。"
