from __future__ import annotations

import pytest
from onematter_gateway.domain.conditional import none_match

ETAG = '"abc"'


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        ('"abc"', True),
        ('W/"abc"', True),  # weak comparison (RFC 9110 §8.8.3.2): W/"abc" and "abc" match
        ('"x", W/"abc"', True),
        ("*", True),  # any current representation
        (" * ", True),
        ('"abcd"', False),
        ('"ABC"', False),  # opaque tags are compared octet by octet
        ("abc", False),  # not quoted: malformed, matches nothing
        (None, False),
        ("", False),
    ],
)
def test_if_none_match_per_rfc_9110(header: str | None, matches: bool) -> None:
    assert none_match(header, ETAG) is matches


def test_a_weak_current_tag_matches_its_strong_spelling_too() -> None:
    assert none_match('"abc"', 'W/"abc"')
