"""Words, not codes (issue 17): every zh-CN message reads as Chinese, with names, never codes.

Generic on purpose, so it covers templates added later: every event type of the event catalogue
(libs/events) is planned with its AsyncAPI example and with one variant per ``Literal`` value and per
boolean flipped, every draft is rendered in zh-CN with the catalog's names (the seed's 13 key matters,
their items, materials and departments); the approvals digest is rendered from the approval example; any
template still not reached is rendered with a Chinese value in every placeholder. In the text:

* no catalog code (matter, item, material, department) appears as a word;
* no Latin word appears outside :data:`ALLOWED_WORDS` (names), once the values that are identifiers by
  nature (ids, numbers, URLs, event types, diagnostics quoted verbatim) are taken out. A token with a
  digit in it is an identifier too (an acceptance or licence number).
"""

from __future__ import annotations

import re
import string
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from onematter_events.catalogue import EVENT_CATALOGUE
from onematter_events.examples import example_payload
from onematter_notification.domain.digests import digest_message
from onematter_notification.domain.planner import Draft, digest_entry, plan
from onematter_notification.domain.templates import TEMPLATES, Phrase, Ref, render

SEED = Path(__file__).resolve().parents[1] / (
    "matter-catalog-service/src/onematter_catalog/seed/key-matters-2024-batch1.yaml"
)
#: Latin words a Chinese message may carry: names, not codes.
ALLOWED_WORDS = frozenset({"OneMatter", "PDF", "OFD", "APP", "App", "ID"})
#: Template values that are identifiers by nature: shown as they are, never translated.
IDENTIFIER_KEYS = frozenset(
    {"acceptance_number", "number", "licence_number", "code", "ref", "callback_url", "event_type", "error"}
)
SEED_MATERIAL = "photo"
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-/:@]*")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _seed() -> dict[str, Any]:
    return yaml.safe_load(SEED.read_text(encoding="utf-8"))


def catalog_names() -> dict[tuple[str, str], dict[str, str]]:
    """``(kind, code)`` → ``{"zh-CN": …, "en": …}`` for everything the seed names."""
    seed = _seed()
    names: dict[tuple[str, str], dict[str, str]] = {}
    lists = {"department": seed["departments"], "material": seed["material_types"], "matter": seed["matters"]}
    lists["item"] = [item for matter in seed["matters"] for item in matter["items"]]
    for kind, entries in lists.items():
        for entry in entries:
            names[(kind, entry["code"])] = {"zh-CN": entry["zh"], "en": entry["en"]}
    return names


def _variants(model: type, base: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The example, then one change at a time: every other value of a ``Literal`` field, a flipped bool."""
    yield base
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if typing.get_origin(annotation) is typing.Literal:
            yield from ({**base, name: value} for value in typing.get_args(annotation) if value != base[name])
        elif annotation is bool:
            yield {**base, name: not base[name]}


def _with_seed_codes(data: dict[str, Any]) -> dict[str, Any]:
    """The example with made-up material codes (``deferred-material-example``, no field of the examples
    names them) replaced by a material of the seed, so names can be looked up as in real life."""
    return {
        key: [SEED_MATERIAL if str(v).endswith("-example") else v for v in value]
        if key.endswith("materials") and isinstance(value, list)
        else value
        for key, value in data.items()
    }


def drafts() -> Iterator[tuple[str, Draft]]:
    """Every message the planner makes from the event catalogue's examples, and the digest."""
    for event_type, spec in sorted(EVENT_CATALOGUE.items()):
        for data in _variants(spec.payload, _with_seed_codes(example_payload(spec.payload))):
            for draft in plan(event_type, data):
                yield event_type, draft
            if (entry := digest_entry(event_type, data)) is not None:
                digest = digest_message(
                    applicant_id="zhangsan", acceptance_number="YW1", application_id="a1", entries=[entry]
                )
                assert digest is not None
                yield event_type, digest
    for kind, by_locale in TEMPLATES.items():  # templates no event reaches (e.g. a webhook failure)
        fields = {f for t in (by_locale["zh-CN"].subject, by_locale["zh-CN"].body) for f in _fields(t)}
        yield "(every placeholder)", Draft("nobody", kind, dict.fromkeys(fields, "示例"))


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def problems(draft: Draft, names: dict[tuple[str, str], dict[str, str]], codes: set[str]) -> list[str]:
    """What is wrong with the zh-CN rendering of ``draft`` (empty: it reads as Chinese)."""
    rendered = render(draft.kind, "zh-CN", draft.params, names)
    text = f"{rendered.subject}\n{rendered.body}"
    found = [f"code {t!r}" for t in _TOKEN.findall(text) if t in codes]
    for key, value in draft.params.items():
        if isinstance(value, str) and value and (key in IDENTIFIER_KEYS or key.endswith(("_id", "_url"))):
            text = text.replace(value, " ")
    for token in _TOKEN.findall(text):
        if any(c.isdigit() for c in token):
            continue
        found += [f"Latin word {w!r}" for w in _LATIN_WORD.findall(token) if w not in ALLOWED_WORDS]
    return found


def test_every_zh_cn_message_uses_names_and_chinese_words_only() -> None:
    names = catalog_names()
    codes = {code for _, code in names}
    reached: set[str] = set()
    failures = []
    for origin, draft in drafts():
        reached.add(draft.kind)
        rendered = render(draft.kind, "zh-CN", draft.params, names)
        failures += [
            f"{draft.kind} (from {origin}): {p} in {rendered.body!r}" for p in problems(draft, names, codes)
        ]

    assert reached == set(TEMPLATES)
    assert failures == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"item_code": Ref("item", "mps-birth-registration")}, []),
        (
            {"item_code": "mps-birth-registration"},
            [
                "code 'mps-birth-registration'",
                "Latin word 'mps'",
                "Latin word 'birth'",
                "Latin word 'registration'",
            ],
        ),
        (
            {"item_code": Phrase.of("出生登记 / birth registration")},
            ["Latin word 'birth'", "Latin word 'registration'"],
        ),
        ({"item_code": Ref("material", "vaccination_cert")}, []),
    ],
)
def test_the_checker_finds_raw_codes_and_english_words(params: dict[str, Any], expected: list[str]) -> None:
    names = catalog_names()
    draft = Draft(
        "nobody", "task.overdue", {"acceptance_number": "YW2025010600123", "deadline": "2025-01-07", **params}
    )

    assert problems(draft, names, {code for _, code in names}) == expected
