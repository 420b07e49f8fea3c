"""The seed's implementation-list elements (``item-elements-2024-batch1.yaml``), applied to its items.

Each item gets its legal basis (设定依据), implementing body, specific conditions, special procedures and
常见问题 from the file; the process (办理流程) is built from the item's own limits; place, hours and the
consultation and complaint channels are the file's demonstration defaults, and the item says so in its
``demonstration`` list. A file that misses an item raises ``KeyError``: no seed item goes out without a
real legal basis.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from onematter_events.elements import LegalBasis, ProcessStep
from onematter_events.matters import ItemFee

from onematter_catalog.domain.model import ItemKind

__all__ = ["ELEMENTS_FILE", "SeedElements", "load_elements"]

ELEMENTS_FILE = Path(__file__).resolve().parent / "item-elements-2024-batch1.yaml"


class SeedElements:
    """The elements file, read once; :meth:`for_item` gives one item's elements as ``ItemSpec`` fields."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self._defaults: dict[str, Any] = raw["defaults"]
        self._items: dict[str, dict[str, Any]] = raw["items"]
        self._demonstration: list[str] = list(raw["demonstration_elements"])

    def for_item(self, code: str, *, kind: ItemKind, committed_days: int, subject: str) -> dict[str, Any]:
        """``legal_bases`` … ``demonstration`` of item ``code`` (``KeyError`` if the file lacks it)."""
        own = self._items[code]
        defaults = self._defaults
        free_basis = defaults["fee_basis_licence" if kind is ItemKind.licence else "fee_basis_other"]
        return {
            "legal_bases": [LegalBasis(law=law, article=article) for law, article in own["basis"]],
            "implementing_body": own["body"],
            "service_objects": ["natural_person" if subject == "individual" else "legal_person"],
            "process": _process(committed_days),
            "special_procedures": own.get("special", []),
            "place": defaults["place"],
            "hours": defaults["hours"],
            "consultation": defaults["consultation"],
            "complaint": defaults["complaint"],
            "faq": own.get("faq", []),
            "fee": ItemFee(free=True, basis=free_basis),
            "demonstration": [*self._demonstration, *own.get("demo", [])],
        }

    def conditions(self, code: str) -> list[str]:
        """受理条件 specific to the item (may be none: the subject's general condition still applies)."""
        return list(self._items[code].get("conditions", []))

    def sources(self, code: str) -> dict[str, str]:
        """来源渠道 overrides of the item's materials: material type → source."""
        return dict(self._items[code].get("sources", {}))


def _process(committed_days: int) -> list[ProcessStep]:
    """受理 on the spot, 审查与决定 within the committed days, 办结 with an electronic result the same day."""
    return [
        ProcessStep(name_zh="申请与受理", name_en="Application and acceptance", working_days=0),
        ProcessStep(name_zh="审查与决定", name_en="Review and decision", working_days=committed_days),
        ProcessStep(name_zh="办结与送达", name_en="Completion and delivery", working_days=0),
    ]


def load_elements(path: Path = ELEMENTS_FILE) -> SeedElements:
    return SeedElements(yaml.safe_load(path.read_text(encoding="utf-8")))
