"""Writing the catalog: drafts, publishing, retiring and the first-start seed.

Each handler opens the unit of work, loads, calls the domain, emits events and commits — the published
version, its outbox event and the request for the departments' task topics are one transaction, so a
version is never visible without its event, nor published twice under one number.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from onematter_events import new_event
from onematter_events.matters import MATTER_PUBLISHED, MATTER_RETIRED, MatterPublished, MatterRetired
from onematter_kit.errors import ConfigurationError, ConflictError, NotFoundError, ValidationProblem
from onematter_kit.unit_of_work import ConstraintViolation

from onematter_catalog.adapters.tables import CatalogMatter, CatalogMatterVersion
from onematter_catalog.domain.elements import missing_elements
from onematter_catalog.domain.model import Department, MaterialType, MatterSpec
from onematter_catalog.domain.validation import validate_matter
from onematter_catalog.domain.views import build_version
from onematter_catalog.seed.loader import CatalogSeed
from onematter_catalog.service_layer.unit_of_work import CatalogUnitOfWork

__all__ = ["create_draft", "publish", "retire", "seed_if_empty", "update_draft"]

log = logging.getLogger("onematter.catalog")


async def _check(
    spec: MatterSpec,
    uow: CatalogUnitOfWork,
    material_types: dict[str, MaterialType],
    *,
    publishing: bool = False,
) -> None:
    """Raise a 422 naming every problem of ``spec`` against the rest of the catalog; when ``publishing``,
    also every required implementation-list element it lacks (a draft may be saved without them)."""
    problems = validate_matter(
        spec,
        departments=await uow.catalog.departments(),
        material_types=material_types,
        shared_items=await uow.catalog.shared_items([i.code for i in spec.items], excluding=spec.code),
    )
    if publishing:
        problems += missing_elements(spec)
    if problems:
        detail = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        raise ValidationProblem(f"The key matter {spec.code!r} is not valid: {detail}", errors=problems)


def _draft_row(spec: MatterSpec, *, now: datetime) -> CatalogMatter:
    """A key matter's first row: a draft holding the whole spec, listed by its code, subject and stage."""
    return CatalogMatter(
        code=spec.code,
        status="draft",
        subject=spec.subject,
        stage=spec.stage,
        name_zh=spec.name_zh,
        name_en=spec.name_en,
        draft=spec.model_dump(mode="json"),
        created_at=now,
        updated_at=now,
    )


async def create_draft(spec: MatterSpec, *, uow: CatalogUnitOfWork) -> CatalogMatter:
    """A new key matter, as a draft nobody but admins can see. 409 if the code is taken."""
    async with uow:
        if await uow.catalog.matter(spec.code) is not None:
            raise ConflictError(f"The key matter {spec.code!r} already exists; update its draft instead.")
        await _check(spec, uow, await uow.catalog.material_types())
        row = _draft_row(spec, now=uow.clock.now())
        uow.catalog.add(row)
        try:
            await uow.commit()
        except ConstraintViolation:  # created concurrently between our check and our commit
            raise ConflictError(f"The key matter {spec.code!r} already exists.") from None
        return row


async def update_draft(spec: MatterSpec, *, uow: CatalogUnitOfWork) -> CatalogMatter:
    """Replace the draft; published versions stay as they are until the next publish."""
    async with uow:
        row = await uow.catalog.matter(spec.code, for_update=True)
        if row is None:
            raise NotFoundError(f"No key matter {spec.code!r}.")
        await _check(spec, uow, await uow.catalog.material_types())
        draft = spec.model_dump(mode="json")
        if draft != row.draft:
            row.draft, row.draft_changed, row.updated_at = draft, True, uow.clock.now()
        if row.status == "draft":  # never published: nothing public to keep in the list columns
            row.subject, row.stage, row.name_zh, row.name_en = (
                spec.subject,
                spec.stage,
                spec.name_zh,
                spec.name_en,
            )
        await uow.commit()
        return row


async def _publish_row(
    row: CatalogMatter,
    *,
    uow: CatalogUnitOfWork,
    material_types: dict[str, MaterialType],
    departments: dict[str, Department],
    now: datetime,
) -> MatterPublished:
    spec = MatterSpec.model_validate(row.draft)
    version = build_version(
        spec,
        version=(row.current_version or 0) + 1,
        material_types=material_types,
        published_at=now,
        departments=departments,
    )
    uow.catalog.add(
        CatalogMatterVersion(
            matter_code=row.code,
            version=version.version,
            payload=version.model_dump(mode="json"),
            published_at=now,
        )
    )
    row.status, row.current_version, row.draft_changed, row.updated_at = (
        "published",
        version.version,
        False,
        now,
    )
    row.subject, row.stage, row.name_zh, row.name_en = spec.subject, spec.stage, spec.name_zh, spec.name_en
    row.departments = "," + ",".join(spec.departments()) + ","
    await uow.catalog.save_items(row.code, spec.items, now=now)
    await uow.catalog.request_topics(spec.departments(), now=now)
    uow.emit(new_event(MATTER_PUBLISHED, version))
    return version


async def publish(code: str, *, uow: CatalogUnitOfWork) -> MatterPublished:
    """Publish the draft as the next immutable version and emit ``matter.published`` (outbox).

    409 when the draft is already the current version. Applications accepted on an older version keep it:
    older versions are never changed.
    """
    async with uow:
        row = await uow.catalog.matter(code, for_update=True)
        if row is None:
            raise NotFoundError(f"No key matter {code!r}.")
        if row.status == "published" and not row.draft_changed:
            raise ConflictError(
                f"Nothing to publish: the draft of {code!r} is version {row.current_version}."
            )
        material_types = await uow.catalog.material_types()
        await _check(MatterSpec.model_validate(row.draft), uow, material_types, publishing=True)
        departments = await uow.catalog.departments()
        version = await _publish_row(
            row, uow=uow, material_types=material_types, departments=departments, now=uow.clock.now()
        )
        await uow.commit()
        return version


async def retire(code: str, *, uow: CatalogUnitOfWork) -> MatterRetired:
    """Stop new applications: the matter leaves the public list and ``matter.retired`` is emitted.

    Its versions stay readable; publishing again brings it back with a new version.
    """
    async with uow:
        row = await uow.catalog.matter(code, for_update=True)
        if row is None:
            raise NotFoundError(f"No key matter {code!r}.")
        if row.status != "published" or row.current_version is None:
            raise ConflictError(
                f"The key matter {code!r} is {row.status}; only a published matter can be retired."
            )
        retired = MatterRetired(matter_code=code, version=row.current_version, retired_at=uow.clock.now())
        row.status, row.updated_at = "retired", retired.retired_at
        await uow.catalog.forget_usages(code)
        uow.emit(new_event(MATTER_RETIRED, retired))
        await uow.commit()
        return retired


async def seed_if_empty(seed: CatalogSeed, *, uow_factory: Callable[[], CatalogUnitOfWork]) -> int:
    """On first start, load the seed and publish every matter as version 1; returns how many were published.

    Does nothing when the catalog already has data, so restarts and replicas never seed twice: replicas
    starting together wait for each other (``wait_for_other_seeders``), and a replica that still loses a
    race gets an integrity error at the commit, which means another one seeded.
    """
    async with uow_factory() as uow:
        await uow.catalog.wait_for_other_seeders()
        if not await uow.catalog.is_empty():
            return 0
        uow.catalog.add_departments(seed.departments)
        uow.catalog.add_material_types(seed.material_types)
        material_types = {m.code: m for m in seed.material_types}
        departments = {d.code: d for d in seed.departments}
        now = uow.clock.now()
        for spec in seed.matters:
            problems = validate_matter(
                spec, departments=departments, material_types=material_types, shared_items={}
            ) + missing_elements(spec)
            if problems:
                raise ConfigurationError(f"the seed matter {spec.code!r} is not valid: {problems}")
            row = _draft_row(spec, now=now)
            uow.catalog.add(row)
            await _publish_row(row, uow=uow, material_types=material_types, departments=departments, now=now)
        try:
            await uow.commit()
        except ConstraintViolation:
            log.info("the catalog was seeded by another instance")
            return 0
        log.info("seeded the catalog", extra={"matters": len(seed.matters)})
        return len(seed.matters)
