"""Reading the catalog. Only published versions are public; a matter never published is "not found" here.

Read-only: each query opens a unit of work and leaves it without committing.
"""

from __future__ import annotations

from typing import Any

from onematter_events.matters import MatterPublished
from onematter_kit.errors import NotFoundError, ValidationProblem

from onematter_catalog.adapters.repository import MatterFilter
from onematter_catalog.domain.guide import build_guide
from onematter_catalog.domain.model import Department, MaterialType, MatterSpec
from onematter_catalog.domain.situations import Answers, answer_problems
from onematter_catalog.domain.views import build_version
from onematter_catalog.service_layer.unit_of_work import CatalogUnitOfWork

__all__ = [
    "current_version",
    "departments",
    "draft_view",
    "guide",
    "item",
    "list_matters",
    "material_types",
    "stage_counts",
    "summary",
    "version",
]


def summary(payload: dict[str, Any]) -> dict[str, Any]:
    """What a list shows of a published version."""
    keys = (
        "matter_code",
        "version",
        "name_zh",
        "name_en",
        "subject",
        "stage",
        "lead_department",
        "committed_days",
    )
    departments = list(
        dict.fromkeys([payload["lead_department"], *(i["department"] for i in payload["items"])])
    )
    return {**{k: payload[k] for k in keys}, "items": len(payload["items"]), "departments": departments}


async def list_matters(
    where: MatterFilter, *, limit: int, offset: int, uow: CatalogUnitOfWork
) -> tuple[list[dict[str, Any]], int]:
    """One page of live matters' summaries (by code) and how many match ``where`` in all."""
    async with uow:
        payloads, total = await uow.catalog.live_matters(where, limit=limit, offset=offset)
    return [summary(p) for p in payloads], total


async def stage_counts(*, uow: CatalogUnitOfWork) -> dict[tuple[str, str], int]:
    """(subject, stage) → how many matters are published (not retired) in it."""
    async with uow:
        return await uow.catalog.stage_counts()


async def departments(*, uow: CatalogUnitOfWork) -> list[Department]:
    """Every department, by code."""
    async with uow:
        return list((await uow.catalog.departments()).values())


async def material_types(*, uow: CatalogUnitOfWork) -> list[MaterialType]:
    """Every material type, by code."""
    async with uow:
        return list((await uow.catalog.material_types()).values())


async def current_version(code: str, *, uow: CatalogUnitOfWork) -> dict[str, Any]:
    """The current published version plus ``status`` (published or retired); 404 if never published."""
    async with uow:
        row = await uow.catalog.matter(code)
        if row is None or row.current_version is None:
            raise NotFoundError(f"No published key matter {code!r}.")
        payload = await uow.catalog.version(code, row.current_version)
        status = row.status
    assert payload is not None  # current_version always points at a stored version
    return {**payload, "status": status}


async def version(code: str, number: int, *, uow: CatalogUnitOfWork) -> dict[str, Any]:
    """Exactly the payload published as version ``number``."""
    async with uow:
        payload = await uow.catalog.version(code, number)
    if payload is None:
        raise NotFoundError(f"Key matter {code!r} has no published version {number}.")
    return payload


async def guide(code: str, *, answers: Answers | None = None, uow: CatalogUnitOfWork) -> dict[str, Any]:
    """The one-time guide (一次告知) of the current published version, tailored to ``answers`` (情形引导)
    when given; 422 naming every unanswered question and unknown option."""
    version = MatterPublished.model_validate(await current_version(code, uow=uow))
    if answers is not None and (problems := answer_problems(version.questions, answers)):
        detail = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        raise ValidationProblem(f"The answers do not fit {code!r}: {detail}", errors=problems)
    async with uow:
        known_departments = await uow.catalog.departments()
    return build_guide(version, known_departments, answers)


async def item(code: str, *, uow: CatalogUnitOfWork) -> dict[str, Any]:
    """A service item's newest published definition and the live matters that bundle it."""
    async with uow:
        found = await uow.catalog.item(code)
    if found is None:
        raise NotFoundError(f"No published service item {code!r}.")
    spec, matters = found
    return {**spec.model_dump(mode="json"), "matters": matters}


async def draft_view(code: str, *, uow: CatalogUnitOfWork) -> dict[str, Any]:
    """For admins: the draft, its state, and a preview of what publishing it would produce."""
    async with uow:
        row = await uow.catalog.matter(code)
        if row is None:
            raise NotFoundError(f"No key matter {code!r}.")
        known_types = await uow.catalog.material_types()
        known_departments = await uow.catalog.departments()
        state: dict[str, Any] = {
            "code": code,
            "status": row.status,
            "current_version": row.current_version,
            "draft_changed": row.draft_changed,
            "draft": row.draft,
        }
        updated_at = row.updated_at
        draft = MatterSpec.model_validate(row.draft)
        next_version = (row.current_version or 0) + 1
    preview: MatterPublished = build_version(
        draft,
        version=next_version,
        material_types=known_types,
        published_at=updated_at,
        departments=known_departments,
    )
    return {**state, "preview": preview.model_dump()}
