"""情形引导: tailoring a published key matter to one applicant's answers, and checking a draft's rules.

The semantics are those of ``onematter_events.guidance``: what some rule selects (``include_items``,
``include_materials``, ``add_fields``) is conditional and applies only when a rule whose conditions hold
selects it; what a holding rule excludes or drops never applies; everything else always applies.
A tailored version is a published version narrowed down, so the guide, the one form and the material list
are computed from it exactly as from the whole version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from onematter_events.guidance import GuideQuestion, GuideRule, MaterialSelector
from onematter_events.matters import ItemMaterial, MatterPublished, MergedMaterial, PublishedItem

from onematter_catalog.domain.model import MatterSpec
from onematter_catalog.domain.views import in_bundle_source

__all__ = ["Answers", "answer_problems", "guidance_problems", "holding_rules", "tailor"]

#: question key → the chosen option values (one for a single-choice question).
Answers = Mapping[str, Sequence[str]]
Problem = dict[str, str]


def answer_problems(questions: Sequence[GuideQuestion], answers: Answers) -> list[Problem]:
    """Every problem of ``answers``: unknown questions, unanswered ones, unknown options, a single-choice
    question answered with more or less than one option."""
    known = {q.key: q for q in questions}
    problems = [
        {"field": f"answers.{key}", "message": f"no question {key!r} in this matter"}
        for key in answers
        if key not in known
    ]
    for question in questions:
        chosen = list(answers.get(question.key, []))
        where = f"answers.{question.key}"
        if question.key not in answers:
            problems.append({"field": where, "message": f"unanswered: {question.text_zh}"})
        elif question.choice == "single" and len(chosen) != 1:
            problems.append({"field": where, "message": "choose exactly one option"})
        options = {o.value for o in question.options}
        problems += [
            {"field": where, "message": f"not an option of this question: {value!r}"}
            for value in chosen
            if value not in options
        ]
    return problems


def holding_rules(rules: Sequence[GuideRule], answers: Answers) -> list[GuideRule]:
    """The rules whose every condition holds for ``answers``."""
    return [
        rule for rule in rules if all(set(answers.get(c.question, [])) & set(c.any_of) for c in rule.when)
    ]


@dataclass(frozen=True)
class _Selection:
    """What the rules make conditional, and what the holding ones select and leave out."""

    conditional: set[str]
    selected: set[str]
    left_out: set[str]

    def applies(self, key: str) -> bool:
        return (key not in self.conditional or key in self.selected) and key not in self.left_out


def _matches(selectors: Sequence[MaterialSelector], item: str, material: str) -> bool:
    return any(s.material_type == material and s.item in (None, item) for s in selectors)


def tailor(version: MatterPublished, answers: Answers) -> MatterPublished:
    """``version`` narrowed to the items, materials and form fields that apply for ``answers`` (which
    :func:`answer_problems` must have accepted). Its committed days are those of the items that remain."""
    rules, holding = version.rules, holding_rules(version.rules, answers)
    items = _Selection(
        conditional={c for r in rules for c in r.include_items},
        selected={c for r in holding for c in r.include_items},
        left_out={c for r in holding for c in r.exclude_items},
    )
    fields = _Selection(
        conditional={f for r in rules for f in r.add_fields},
        selected={f for r in holding for f in r.add_fields},
        left_out={f for r in holding for f in r.drop_fields},
    )
    kept = [
        _tailored_item(item, rules=rules, holding=holding, items=items, fields=fields)
        for item in version.items
        if items.applies(item.code)
    ]
    return version.model_copy(
        update={
            "items": kept,
            "materials": _merged(version.materials, kept),
            "committed_days": max((i.committed_days for i in kept), default=0),
            **_form(version, kept),
        }
    )


def _tailored_item(
    item: PublishedItem,
    *,
    rules: Sequence[GuideRule],
    holding: Sequence[GuideRule],
    items: _Selection,
    fields: _Selection,
) -> PublishedItem:
    def applies(material: ItemMaterial) -> bool:
        code, kind = item.code, material.material_type
        conditional = any(_matches(r.include_materials, code, kind) for r in rules)
        selected = any(_matches(r.include_materials, code, kind) for r in holding)
        left_out = any(_matches(r.exclude_materials, code, kind) for r in holding)
        return (not conditional or selected) and not left_out

    def from_kept(material: ItemMaterial) -> ItemMaterial:
        """A material whose producing item was left out comes from the applicant after all."""
        if material.from_item is None or items.applies(material.from_item):
            return material
        return material.model_copy(update={"from_item": None})

    return item.model_copy(
        update={
            "materials": [from_kept(m) for m in item.materials if applies(m)],
            "form_fields": [f for f in item.form_fields if fields.applies(f)],
        }
    )


def _merged(materials: Sequence[MergedMaterial], items: Sequence[PublishedItem]) -> list[MergedMaterial]:
    """The one set of materials of ``items``, merged as ``views.merge_materials`` merges a whole matter:
    key if any item needs it as key; deferrable or replaceable by commitment only if every item allows."""
    merged = []
    for material in materials:
        uses = [(i.code, m) for i in items for m in i.materials if m.material_type == material.material_type]
        if not uses:
            continue
        merged.append(
            material.model_copy(
                update={
                    "key": any(m.key for _, m in uses),
                    "deferrable": all(m.deferrable for _, m in uses),
                    "commitment_allowed": all(m.commitment_allowed for _, m in uses),
                    "items": list(dict.fromkeys(code for code, _ in uses)),
                    "in_bundle_from": in_bundle_source([m.from_item for _, m in uses]),
                }
            )
        )
    return merged


def _form(version: MatterPublished, items: Sequence[PublishedItem]) -> dict[str, object]:
    """The one form of ``items``: the published schema's fields that remain, in their published order."""
    names = {f for item in items for f in item.form_fields}
    codes = {item.code for item in items}
    properties = version.form_schema.get("properties", {})
    schema = {
        **version.form_schema,
        "properties": {n: s for n, s in properties.items() if n in names},
        "required": [n for n in version.form_schema.get("required", []) if n in names],
    }
    field_items = {
        name: [code for code in users if code in codes]
        for name, users in version.field_items.items()
        if name in names
    }
    return {"form_schema": schema, "field_items": field_items}


def _question_problems(questions: Sequence[GuideQuestion]) -> list[Problem]:
    """Each question once, with at least two options, each option once."""
    keys = [q.key for q in questions]
    problems = [
        {"field": "questions", "message": f"question {k!r} appears twice"}
        for k in sorted(set(keys))
        if keys.count(k) > 1
    ]
    for index, question in enumerate(questions):
        values = [o.value for o in question.options]
        if len(set(values)) < 2 or len(set(values)) != len(values):
            problems.append(
                {"field": f"questions[{index}].options", "message": "at least two options, each once"}
            )
    return problems


def guidance_problems(spec: MatterSpec) -> list[Problem]:
    """Rules naming a question, option, item, material or form field the matter does not have."""
    options = {q.key: {o.value for o in q.options} for q in spec.questions}
    needs = {(i.code, m.material_type) for i in spec.items for m in i.materials}
    fields = {f.name for i in spec.items for f in i.form_fields}
    items = {i.code for i in spec.items}
    problems = _question_problems(spec.questions)
    for index, rule in enumerate(spec.rules):
        where = f"rules[{index}]"
        for condition in rule.when:
            known = options.get(condition.question)
            if known is None:
                problems.append({"field": f"{where}.when", "message": f"no question {condition.question!r}"})
            elif unknown := sorted(set(condition.any_of) - known):
                problems.append({"field": f"{where}.when", "message": f"not options: {unknown}"})
        for name in ("include_items", "exclude_items"):
            problems += [
                {"field": f"{where}.{name}", "message": f"no item {code!r} in this matter"}
                for code in getattr(rule, name)
                if code not in items
            ]
        for name in ("include_materials", "exclude_materials"):
            problems += [
                {"field": f"{where}.{name}", "message": f"no item needs material {s.material_type!r}"}
                for s in getattr(rule, name)
                if not any(_matches([s], item, kind) for item, kind in needs)
            ]
        problems += [
            {"field": f"{where}", "message": f"no item asks for form field {name!r}"}
            for name in sorted({*rule.add_fields, *rule.drop_fields} - fields)
        ]
    return problems
