"""The one-time guide (一次告知): everything an applicant must know about a key matter, on one page.

Built from a published version (so the guide of version 1 never changes) and the departments' names.
The committed total is the longest item, since items are handled in parallel (并联办理); the sum of the
items' days is shown too, as what doing them one after another would take. Given the answers to the
matter's questions (情形引导), the version is first tailored to them (:mod:`.situations`): the guide then
lists only the items and materials that apply, and its one form only their fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from onematter_events.matters import MatterPublished, PublishedItem

from onematter_catalog.domain.guide_html import render_guide_html
from onematter_catalog.domain.model import KIND_LABELS, Department, ItemKind
from onematter_catalog.domain.situations import Answers, holding_rules, tailor

__all__ = ["build_guide", "render_guide_html"]


def _department(code: str, departments: Mapping[str, Department]) -> dict[str, str]:
    known = departments.get(code)
    return {
        "code": code,
        "name_zh": known.name_zh if known else code,
        "name_en": known.name_en if known else code,
    }


def _kind_zh(kind: str) -> str:
    try:
        return KIND_LABELS[ItemKind(kind)][0]
    except ValueError:  # a kind added by a newer catalog: show it as it is
        return kind


def _fees(version: MatterPublished) -> dict[str, Any]:
    charged = [
        {"item": i.code, "amount_yuan": i.fee.amount_yuan, "basis": i.fee.basis}
        for i in version.items
        if not i.fee.free
    ]
    return {"free": not charged, "charged": charged}


def _elements(i: PublishedItem) -> dict[str, Any]:
    """The item's implementation-list elements (issue 21), empty for versions published before them."""
    return {
        "legal_bases": [b.cite() for b in i.legal_bases] or ([i.legal_basis] if i.legal_basis else []),
        "implementing_body": i.implementing_body,
        "conditions": list(i.conditions),
        "fee": i.fee.model_dump(),
        "process": [s.model_dump() for s in i.process],
        "special_procedures": [s.model_dump() for s in i.special_procedures],
        "place": i.place,
        "hours": i.hours,
        "visits_required": i.visits_required,
        "consultation": [c.model_dump() for c in i.consultation],
        "complaint": [c.model_dump() for c in i.complaint],
        "faq": [f.model_dump() for f in i.faq],
        "materials": [
            m.model_dump(include={"material_type", "source", "form", "copies"}) for m in i.materials
        ],
        "demonstration": list(i.demonstration),
    }


def _situation(version: MatterPublished, answers: Answers | None) -> dict[str, Any]:
    """The questions, and — for answers — what was answered and why the lists are what they are."""
    return {
        "questions": [q.model_dump() for q in version.questions],
        "answers": {k: list(v) for k, v in answers.items()} if answers is not None else None,
        "notes": [r.note_zh for r in holding_rules(version.rules, answers or {}) if r.note_zh],
    }


def _guide_item(i: PublishedItem) -> dict[str, Any]:
    """One item of the guide, with its 补正 term and its deferrable materials' terms (issue 15)."""
    return {
        "code": i.code,
        "name_zh": i.name_zh,
        "name_en": i.name_en,
        "department": i.department,
        "kind": i.kind,
        "kind_zh": _kind_zh(i.kind),
        "legal_basis": i.legal_basis,
        "committed_days": i.committed_days,
        "statutory_days": i.statutory_days,
        "supplement_term": i.supplement_term.model_dump() if i.supplement_term else None,
        "deferral_terms": {m.material_type: m.deferral.model_dump() for m in i.materials if m.deferral},
        **_elements(i),
    }


def build_guide(
    version: MatterPublished, departments: Mapping[str, Department], answers: Answers | None = None
) -> dict[str, Any]:
    """The guide as JSON. Departments missing from ``departments`` are shown by their code.

    ``answers`` (question key → chosen options, already checked by ``situations.answer_problems``) tailor
    it; None: the whole matter, every item and material that may apply.
    """
    situation = _situation(version, answers)
    if answers is not None:
        version = tailor(version, answers)
    by_department: dict[str, list[str]] = {}
    for item in version.items:
        by_department.setdefault(item.department, []).append(item.code)
    return {
        "matter_code": version.matter_code,
        "version": version.version,
        "name_zh": version.name_zh,
        "name_en": version.name_en,
        "subject": version.subject,
        "lead_department": _department(version.lead_department, departments),
        "conditions": list(dict.fromkeys(c for item in version.items for c in item.conditions)),
        "materials": [m.model_dump() for m in version.materials],
        "departments": [
            {**_department(code, departments), "items": items} for code, items in by_department.items()
        ],
        "items": [_guide_item(i) for i in version.items],
        "fees": _fees(version),
        "committed_days": version.committed_days,
        "sequential_days": sum(i.committed_days for i in version.items),
        "supplement_days": version.supplement_days,
        "visits_required": max((i.visits_required for i in version.items), default=0),
        "channels": list(dict.fromkeys(c for i in version.items for c in i.channels)),
        "form_fields": len(version.form_schema.get("properties", {})),
        "form_schema": version.form_schema,
        "field_items": version.field_items,
        **situation,
    }
