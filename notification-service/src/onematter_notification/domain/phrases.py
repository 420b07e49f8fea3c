"""The values a message template is filled with besides plain text: catalog codes shown as names.

A :class:`Ref` is a catalog code rendered as its name in the reader's language; a :class:`Phrase` joins
literal text, refs and :class:`Localised` pieces (text that differs by language, such as punctuation or a
note added only sometimes). :func:`text` renders any of them for one language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["DEFAULT_LOCALE", "Localised", "Names", "Phrase", "Ref", "refs_in", "text"]

DEFAULT_LOCALE = "zh-CN"


@dataclass(frozen=True)
class Ref:
    """A catalog code shown as its name: ``kind`` is ``matter``, ``item``, ``material`` or ``department``."""

    kind: str
    code: str


@dataclass(frozen=True)
class Localised:
    """One piece of text per language: ``zh`` for zh-CN readers, ``en`` for English ones."""

    zh: str | Ref | Phrase
    en: str | Ref | Phrase


@dataclass(frozen=True)
class Phrase:
    """Text made of literal pieces, :class:`Ref` names and :class:`Localised` pieces, e.g. a list
    ``出生医学证明（区卫健委）；…``."""

    parts: tuple[str | Ref | Localised, ...]

    @classmethod
    def of(cls, *parts: str | Ref | Localised | Phrase) -> Phrase:
        flat: list[str | Ref | Localised] = []
        for part in parts:
            flat.extend(part.parts if isinstance(part, Phrase) else (part,))
        return cls(tuple(flat))

    @classmethod
    def join(cls, separator: str | Localised, pieces: Iterable[str | Ref | Localised | Phrase]) -> Phrase:
        joined: list[str | Ref | Localised | Phrase] = []
        for index, piece in enumerate(pieces):
            joined.extend((separator, piece) if index else (piece,))
        return cls.of(*joined)


#: ``(kind, code)`` → locale → name; a missing entry or locale falls back (en → zh-CN → the code).
Names = Mapping[tuple[str, str], Mapping[str, str]]


def refs_in(params: Mapping[str, Any]) -> set[Ref]:
    """Every :class:`Ref` among ``params`` (directly or inside a :class:`Phrase`) — the names to look up."""
    found: set[Ref] = set()
    for value in params.values():
        found |= _refs(value)
    return found


def _refs(value: Any) -> set[Ref]:
    if isinstance(value, Ref):
        return {value}
    if isinstance(value, Localised):
        return _refs(value.zh) | _refs(value.en)
    if isinstance(value, Phrase):
        return set().union(*(_refs(part) for part in value.parts))
    return set()


def _name(ref: Ref, language: str, names: Names) -> str:
    by_locale = names.get((ref.kind, ref.code)) or {}
    return by_locale.get(language) or by_locale.get(DEFAULT_LOCALE) or ref.code


def text(value: Any, language: str, names: Names) -> str:
    """``value`` as text for ``language``: refs by their names, localised pieces in that language."""
    if isinstance(value, Ref):
        return _name(value, language, names)
    if isinstance(value, Localised):
        return text(value.en if language == "en" else value.zh, language, names)
    if isinstance(value, Phrase):
        return "".join(text(part, language, names) for part in value.parts)
    return str(value)
