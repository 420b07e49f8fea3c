"""Deterministic example payloads for the AsyncAPI document: every field a fixed, valid value."""

from __future__ import annotations

import types
from datetime import date, datetime
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

__all__ = ["EXAMPLE_TIME", "example_payload"]

EXAMPLE_TIME = "2025-01-06T09:30:00+08:00"

_EXAMPLE_VALUES: dict[str, Any] = {
    "department": "mps",
    "lead_department": "nhc",
    "issuing_department": "mps",
    # Free text an item author writes (the legal basis of a due date's consequence), in Chinese as published.
    "basis": "本事项实施清单的规定",
    "application_id": "app-01jgx7k2q9",
    "task_id": "task-01jgx7k2r4",
    "acceptance_number": "YW2025010600123",
    "matter_code": "newborn-birth",
    "item_code": "mps-birth-registration",
    "item_name_zh": "出生登记（户口登记）",
    "applicant_id": "zhangsan",
    "holder_id": "zhangsan",
    "owner_id": "zhangsan",
    "recipient": "zhangsan",
    "submitted_by": "zhangsan",
    "officer_id": "officer-mps",
    "material_type": "birth_medical_cert",
    "licence_type": "hukou_book",
    "issues_licence": "hukou_book",
    "number_prefix": "HKB",
    "number_source": "generated",
    "number_pattern": None,
    "validity_years": None,
    "subject_name_field": "newborn_name",
    "subject_id_field": None,
    "licence_subject_name": "张小宝",
    "licence_subject_id": None,
    "subject_name": "张小宝",
    "media_type": "application/pdf",
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "number": "110101202501060012",
    "name_zh": "新生儿出生一件事",
    "name_en": "Birth of a newborn",
    "stage": "birth",
    "kind": "administrative",
    "reason": "出生医学证明照片不清晰，请重新上传。",
    "comment": "一次办好，很方便。",
    "level": 5,
    "error": None,
    "year": 2025,
    "document_number": "国办发明电〔2024〕12号",
    "version": 1,
    "previous_deadline": "2025-01-06",
    # the 12345 hotline: a request's text and the office's answer are what people wrote, in Chinese
    "request_id": "req-01jgx7k2s8",
    "office": "mps",
    "region": "110105",
    "category": "traffic",
    "text": "建国路和朝阳路路口的红绿灯坏了，请尽快修理。",
    "answer": "信号灯已修复，感谢您的反映。",
    "recipients": ["zhangsan"],
}


def _sample(annotation: Any, name: str) -> Any:
    """A JSON value of ``annotation`` for the field ``name``; deterministic, so the document is stable."""
    if name in _EXAMPLE_VALUES:
        return _EXAMPLE_VALUES[name]
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return args[0]
    if origin in (Union, types.UnionType):
        return _sample(next(arg for arg in args if arg is not type(None)), name)
    if origin is list:
        return [_sample(args[0], name.removesuffix("s"))]
    if origin is dict:
        return {} if args[1] is Any else {"birth_medical_cert": _sample(args[1], name)}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return example_payload(annotation)
    scalars: dict[Any, Any] = {
        bool: False,
        int: 1,
        float: 1.0,
        datetime: EXAMPLE_TIME,
        date: "2025-01-07",
        str: f"{name.replace('_', '-')}-example",
    }
    return scalars[annotation]


def example_payload(model: type[BaseModel]) -> dict[str, Any]:
    """An example ``data`` for ``model``, validated by the model itself (so it cannot drift from it)."""
    raw = {name: _sample(field.annotation, name) for name, field in model.model_fields.items()}
    return model.model_validate(raw).model_dump(mode="json")
