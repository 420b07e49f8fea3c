"""Rows ↔ domain objects. Same-named fields are copied; JSON columns go through a codec.

Writing back sets only the columns whose value changed, so an aggregate that was loaded but not changed
(or changed in one task) issues no UPDATE for the rest — nothing it did not touch is overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from datetime import date
from typing import Any

from onematter_events.applications import MaterialReference
from onematter_events.matters import DeferralTerm, DueTerm

from onematter_acceptance.adapters.tables import ApplicationRow, TaskRow
from onematter_acceptance.domain.application import Application, Rejection
from onematter_acceptance.domain.clock import Pause
from onematter_acceptance.domain.duedates import ItemTerms
from onematter_acceptance.domain.supplement import Demand
from onematter_acceptance.domain.task import Task

__all__ = ["application_row", "to_application", "to_domain", "to_row_values", "write_back"]

Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]
#: Domain fields that are not columns of the aggregate's own row.
_NOT_COLUMNS = frozenset({"tasks", "new_entries"})


def _dump_pauses(pauses: list[Pause]) -> list[dict[str, Any]]:
    # "due" only when set, so pauses stored before 补正 due dates keep their shape
    return [
        {"from": p.start.isoformat(), "to": p.end.isoformat() if p.end else None}
        | ({"due": p.due.isoformat()} if p.due else {})
        for p in pauses
    ]


def _load_pauses(raw: Iterable[Mapping[str, Any]]) -> list[Pause]:
    return [Pause(date.fromisoformat(r["from"]), _day(r.get("to")), _day(r.get("due"))) for r in raw]


def _day(raw: str | None) -> date | None:
    return date.fromisoformat(raw) if raw else None


def _dump_demands(demands: Mapping[str, Demand]) -> dict[str, Any]:
    return {
        k: {"reasons": list(d.reasons), "departments": list(d.departments), "task_ids": list(d.task_ids)}
        for k, d in demands.items()
    }


def _load_demands(raw: Mapping[str, Mapping[str, Any]]) -> dict[str, Demand]:
    return {
        k: Demand(tuple(d["reasons"]), tuple(d["departments"]), tuple(d["task_ids"])) for k, d in raw.items()
    }


def _dump_terms(terms: ItemTerms) -> dict[str, Any]:
    return {
        "supplement": terms.supplement.model_dump(mode="json"),
        "deferral": {k: t.model_dump(mode="json") for k, t in terms.deferral.items()},
    }


def _load_terms(raw: Mapping[str, Any]) -> ItemTerms:
    """``{}`` (a task accepted before items had terms) loads as the default terms."""
    return ItemTerms(
        supplement=DueTerm.model_validate(raw.get("supplement") or {}),
        deferral={k: DeferralTerm.model_validate(t) for k, t in (raw.get("deferral") or {}).items()},
    )


_APPLICATION: dict[str, Codec] = {
    "materials": (
        lambda refs: {k: r.model_dump(mode="json") for k, r in refs.items()},
        lambda raw: {k: MaterialReference.model_validate(r) for k, r in raw.items()},
    ),
    "open_supplement": (_dump_demands, _load_demands),
    "rejections": (lambda rs: [vars(r).copy() for r in rs], lambda raw: [Rejection(**r) for r in raw]),
}
_TASK: dict[str, Codec] = {
    "materials": (
        lambda refs: [r.model_dump(mode="json") for r in refs],
        lambda raw: [MaterialReference.model_validate(r) for r in raw],
    ),
    "pauses": (_dump_pauses, _load_pauses),
    "terms": (_dump_terms, _load_terms),
    "deferral_dues": (
        lambda dues: {k: d.isoformat() for k, d in dues.items()},
        lambda raw: {k: date.fromisoformat(d) for k, d in raw.items()},
    ),
}
_CODECS: dict[type, dict[str, Codec]] = {Application: _APPLICATION, Task: _TASK}


def to_row_values(obj: Any) -> dict[str, Any]:
    """The column values of a domain object (dataclass) as its row stores them."""
    codecs = _CODECS.get(type(obj), {})
    values = {f.name: getattr(obj, f.name) for f in fields(obj) if f.name not in _NOT_COLUMNS}
    return {k: codecs[k][0](v) if k in codecs else v for k, v in values.items()}


def to_domain(kind: type[Any], row: Any, **extra: Any) -> Any:
    """A domain object of dataclass ``kind`` from ``row``; ``extra`` gives the fields that are not columns."""
    codecs = _CODECS.get(kind, {})
    names = [f.name for f in fields(kind) if f.name not in _NOT_COLUMNS and f.name not in extra]
    values = {n: getattr(row, n) for n in names}
    return kind(**{k: codecs[k][1](v) if k in codecs else v for k, v in values.items()}, **extra)


def write_back(obj: Any, row: Any) -> None:
    """Set the columns of ``row`` whose value differs from ``obj``'s."""
    for name, value in to_row_values(obj).items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def to_application(row: ApplicationRow, task_rows: Iterable[TaskRow]) -> Application:
    tasks = [to_domain(Task, t) for t in sorted(task_rows, key=lambda t: t.item_code)]
    application: Application = to_domain(Application, row, tasks=tasks)
    return application


def application_row(application: Application) -> tuple[ApplicationRow, list[TaskRow]]:
    """New rows for a newly accepted application and its tasks."""
    return ApplicationRow(**to_row_values(application)), [
        TaskRow(**to_row_values(t)) for t in application.tasks
    ]
