"""The HTTP contract of the admin routes, kept apart from the domain so each can change on its own.

A draft names library form fields by name (``"id_number"``) or defines its own field inline; names are
resolved against the form-field library here, so the domain always sees full definitions.
"""

from __future__ import annotations

from typing import Any

from onematter_kit.errors import ValidationProblem
from pydantic import Field

from onematter_catalog.domain.form_fields import FIELD_LIBRARY
from onematter_catalog.domain.model import FieldSpec, ItemSpec, MatterSpec

__all__ = ["ItemIn", "MatterDraftIn"]


class ItemIn(ItemSpec):
    form_fields: list[str | FieldSpec] = Field(default_factory=list, max_length=100)  # type: ignore[assignment]


class MatterDraftIn(MatterSpec):
    items: list[ItemIn] = Field(max_length=50)  # type: ignore[assignment]

    def to_spec(self) -> MatterSpec:
        """The domain spec with every field name resolved; 422 naming the unknown ones."""
        problems: list[dict[str, Any]] = []
        items = []
        for i, item in enumerate(self.items):
            fields: list[FieldSpec] = []
            for j, entry in enumerate(item.form_fields):
                if isinstance(entry, FieldSpec):
                    fields.append(entry)
                elif entry in FIELD_LIBRARY:
                    fields.append(FIELD_LIBRARY[entry])
                else:
                    problems.append(
                        {
                            "field": f"items[{i}].form_fields[{j}]",
                            "message": f"unknown form field {entry!r}: use a library field "
                            f"({', '.join(sorted(FIELD_LIBRARY))}) or define it inline",
                        }
                    )
            items.append(ItemSpec.model_validate({**item.model_dump(), "form_fields": fields}))
        if problems:
            raise ValidationProblem(
                "; ".join(f"{p['field']}: {p['message']}" for p in problems), errors=problems
            )
        return MatterSpec.model_validate({**self.model_dump(exclude={"items"}), "items": items})
