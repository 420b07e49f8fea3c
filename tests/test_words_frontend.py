"""Words, not codes (issue 17, item 5, the front-end half): every zh-CN string the reference front-end shows
is Chinese, with English under the language switch.

Checked without a browser: the dictionary (``web/js/i18n.js``), the Chinese string literals written into the
pages' code (``web/js/**``) and the Chinese text of ``web/index.html``. A zh-CN string may hold no Latin word
but the names on the allow-list below (so no raw code such as ``vaccination_cert``, ``stage.exit`` or
``newborn-birth``, and no English sentence); every entry has an English text with the same placeholders.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[1] / "gateway" / "src" / "onematter_gateway" / "web"
#: Latin words a zh-CN string may hold: proper names, file formats and the one literal a person types.
ALLOWED = {
    "OneMatter",  # the platform's name
    "PDF",  # file formats, named as everyone in China writes them
    "OFD",
    "PNG",
    "JPEG",
    "English",  # the language switch names the other language in that language
    "demo",  # the development demo users' password, typed exactly as written
    "zhangsan",  # demo account names in a hint, typed exactly as written
    "clerk02",
}
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.\-/]*")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
_STRING = r'"((?:[^"\\\n]|\\.)*)"'
ENTRY = re.compile(rf'"([\w.-]+)":\s*\[\s*{_STRING}\s*,\s*{_STRING}\s*\]')
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'|`((?:[^`\\]|\\.)*)`')


def latin_words(text: str) -> list[str]:
    """The Latin words of a zh-CN string outside ``{placeholders}``, ``${expressions}`` and the allow-list."""
    bare = re.sub(r"\$\{[^}]*\}", " ", PLACEHOLDER.sub(" ", text))
    return [word for word in LATIN_WORD.findall(bare) if word not in ALLOWED]


def dictionary() -> dict[str, tuple[str, str]]:
    """``key → (zh, en)`` from i18n.js; fails if an entry is written in a shape this parser misses."""
    source = (WEB / "js" / "i18n.js").read_text(encoding="utf-8")
    body = source[source.index("const DICT") :]
    entries = {key: (zh, en) for key, zh, en in ENTRY.findall(body)}
    assert len(entries) == len(re.findall(r'"[\w.-]+":\s*\[', body)), "an i18n entry this test cannot read"
    return entries


def _without_comments(source: str) -> str:
    source = re.sub(r"/\*.*?\*/", " ", source, flags=re.DOTALL)
    return re.sub(r"(^|\s)//.*$", " ", source, flags=re.MULTILINE)


def page_literals() -> list[tuple[str, str]]:
    """``(file, literal)``: each string literal with Chinese in the pages' code (outside the dictionary)."""
    found = []
    for path in sorted((WEB / "js").rglob("*.js")):
        if path.name == "i18n.js":
            continue
        for groups in LITERAL.findall(_without_comments(path.read_text(encoding="utf-8"))):
            text = next(g for g in groups if g) if any(groups) else ""
            if CJK.search(text):
                found.append((path.relative_to(WEB).as_posix(), text))
    return found


def html_texts() -> list[str]:
    """Text between the tags of index.html that has Chinese in it (an English-only span is left out)."""
    source = (WEB / "index.html").read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.DOTALL)
    return [part.strip() for part in re.split(r"<[^>]+>", html) if CJK.search(part)]


def test_the_checker_catches_codes_and_english_and_lets_names_pass() -> None:
    assert latin_words("「vaccination_cert」未提供") == ["vaccination_cert"]
    assert latin_words("阶段：stage.exit") == ["stage.exit"]
    assert latin_words("请办理 newborn-birth") == ["newborn-birth"]
    assert latin_words("Something went wrong") == ["Something", "went", "wrong"]
    assert latin_words("OneMatter 支持 PDF、OFD 文件，共 {n} 件，${x.name}") == []


def test_every_dictionary_entry_has_chinese_without_codes_and_an_english_text() -> None:
    entries = dictionary()
    assert len(entries) > 250  # the whole dictionary was read
    bad = {key: latin_words(zh) for key, (zh, _) in entries.items() if latin_words(zh)}
    assert bad == {}
    no_chinese = [key for key, (zh, _) in entries.items() if not CJK.search(zh) and zh != "English"]
    assert no_chinese == []
    untranslated = [key for key, (zh, en) in entries.items() if not en.strip() or en == zh]
    assert untranslated == []


def test_every_entry_has_the_same_placeholders_in_both_languages() -> None:
    differ = {
        key: (zh, en)
        for key, (zh, en) in dictionary().items()
        if sorted(PLACEHOLDER.findall(zh)) != sorted(PLACEHOLDER.findall(en))
    }
    assert differ == {}


@pytest.mark.parametrize(("where", "text"), page_literals())
def test_chinese_written_into_the_pages_holds_no_code_or_english(where: str, text: str) -> None:
    assert latin_words(text) == [], where


def test_the_page_shell_shows_chinese_without_codes() -> None:
    texts = html_texts()
    assert "跳到主要内容" in texts
    assert {text: latin_words(text) for text in texts if latin_words(text)} == {}


def test_every_status_the_services_answer_has_a_word_in_the_front_end() -> None:
    """A status the page does not know shows as its code (``t()`` falls back to the key): every value of the
    acceptance service's application and task statuses needs an entry."""
    from onematter_acceptance.domain.application import ApplicationStatus
    from onematter_acceptance.domain.task import TaskStatus

    words = dictionary()
    statuses = {
        value
        for holder in (ApplicationStatus, TaskStatus)
        for name, value in vars(holder).items()
        if not name.startswith("_") and isinstance(value, str)
    }
    assert {"in_progress", "completed", "approved", "not_accepted"} <= statuses
    assert sorted(s for s in statuses if f"status.{s}" not in words) == []
