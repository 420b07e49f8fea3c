"""The dispatch catalogue (派单目录): request category + region (行政区划代码) → implementing office.

A rule for a county (e.g. 110105) wins over one for its city (1101 00) and that over its province
(11 0000), so a province can set defaults and a district override them.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["region_chain", "suggest_office"]


def region_chain(region: str) -> list[str]:
    """``110105`` → ``["110105", "110100", "110000"]``: the region, its city, its province (no repeats)."""
    return list(dict.fromkeys([region, region[:4] + "00", region[:2] + "0000"]))


def suggest_office(rules: Mapping[tuple[str, str], str], *, category: str, region: str) -> str | None:
    """The office of the most specific rule for ``category`` in ``region`` or an enclosing one, or None."""
    for code in region_chain(region):
        if (office := rules.get((category, code))) is not None:
            return office
    return None
