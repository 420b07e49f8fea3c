"""The rules the catalog's values enforce on themselves."""

from __future__ import annotations

import pytest
from onematter_catalog.domain.model import (
    ItemKind,
    ItemSpec,
    MaterialRequirement,
)
from pydantic import ValidationError


def test_committed_days_beyond_the_statutory_limit_are_refused() -> None:
    with pytest.raises(ValidationError, match="must not exceed statutory_days"):
        ItemSpec(
            code="slow-item",
            name_zh="事项",
            name_en="Item",
            department="mps",
            kind=ItemKind.licence,
            statutory_days=5,
            committed_days=6,
        )


def test_a_key_material_cannot_be_deferred() -> None:
    with pytest.raises(ValidationError, match="cannot be deferred"):
        MaterialRequirement(material_type="photo", key=True, deferrable=True)
