"""一表申请: validating the one form against the pinned matter version's JSON Schema (draft 2020-12)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from jsonschema import Draft202012Validator, FormatChecker, ValidationError

__all__ = ["FieldError", "fields_for_item", "form_errors"]

FieldError = dict[str, str]


def form_errors(schema: Mapping[str, Any], form: Mapping[str, Any]) -> list[FieldError]:
    """Every problem of ``form``, each naming its field as ``form.<path>``; empty when the form is valid.

    A missing required property is reported on the property itself, not on its parent object, so a
    front-end can put the message next to the right input.
    """
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    errors: list[FieldError] = []
    for error in sorted(validator.iter_errors(form), key=lambda e: list(map(str, e.absolute_path))):
        errors.extend(_describe(error))
    return errors


def _describe(error: ValidationError) -> list[FieldError]:
    path = [str(p) for p in error.absolute_path]
    if error.validator == "required" and isinstance(error.instance, Mapping):
        required = cast("list[str]", error.validator_value)  # the "required" keyword's value
        missing = [name for name in required if name not in error.instance]
        return [{"field": ".".join(["form", *path, name]), "message": "is required"} for name in missing]
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        known = set(cast("Mapping[str, Any]", error.schema).get("properties", {}))
        return [
            {"field": ".".join(["form", *path, name]), "message": "is not a field of this form"}
            for name in error.instance
            if name not in known
        ]
    return [{"field": ".".join(["form", *path]) if path else "form", "message": error.message}]


def fields_for_item(
    form: Mapping[str, Any], field_items: Mapping[str, list[str]], item_code: str
) -> dict[str, Any]:
    """Only the form fields mapped to ``item_code`` — a department sees what it needs and no more."""
    return {name: form[name] for name, items in field_items.items() if item_code in items and name in form}
