"""减填 / 免提交: what the platform already knows for an applicant before the form is filled (rules in
:mod:`onematter_acceptance.domain.prefill`). A delegate (帮办代办: a window clerk or an agent) asks for the
applicant it names (``on_behalf_of``) only under a delegation in force that allows ``read`` for the matter;
the read is then told to the applicant's access log (``delegation.used``)."""

from __future__ import annotations

from dataclasses import dataclass

from onematter_kit.errors import NotFoundError
from onematter_kit.identity import Principal

from onematter_acceptance.adapters.catalog_client import CatalogClient
from onematter_acceptance.adapters.material_client import MaterialClient
from onematter_acceptance.domain.delegation import Delegation
from onematter_acceptance.domain.prefill import Prefill, coverage, known_values, reuse_candidates
from onematter_acceptance.service_layer.acting import acting_for, used
from onematter_acceptance.service_layer.matters import known_matter
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["ReadPrefill", "prefill"]


@dataclass(frozen=True, kw_only=True)
class ReadPrefill:
    matter_code: str
    caller: Principal
    on_behalf_of: str | None = None


async def prefill(
    query: ReadPrefill,
    uow: AcceptanceUnitOfWork,
    *,
    materials: MaterialClient,
    catalog: CatalogClient | None = None,
) -> Prefill:
    """404 for a matter that takes no applications (the catalog is asked first for one not known yet); 403
    for a delegate without a delegation in force (nothing is read); the material service is asked after the
    transaction."""
    acting = await acting_for(
        uow, query.caller, query.on_behalf_of, matter_code=query.matter_code, action="read"
    )
    applicant = acting.applicant
    matter = await known_matter(uow, query.matter_code, caller=query.caller, catalog=catalog)
    if matter is None:
        raise NotFoundError(f"No key matter {query.matter_code}.")
    async with uow:
        earlier = await uow.applications.earlier_of(applicant.subject)
    licences = await materials.licences(applicant, today=uow.clock.today())
    held = {lic.licence_type: lic for lic in licences}
    candidates = reuse_candidates(matter, [e.materials for e in earlier], held)
    found = await materials.materials(applicant, list(candidates.values()))
    still_there = {kind: i for kind, i in candidates.items() if i in found}
    values, sources = known_values(matter, [e.form for e in earlier], licences)
    if acting.delegation is not None:
        await _tell_read(uow, acting.delegation, query.matter_code, list(still_there.values()))
    return Prefill(
        matter_code=query.matter_code,
        applicant_id=applicant.subject,
        values=values,
        sources=sources,
        materials=coverage(matter, held, still_there),
    )


async def _tell_read(
    uow: AcceptanceUnitOfWork, delegation: Delegation, matter_code: str, material_ids: list[str]
) -> None:
    """The delegate's read goes to the applicant's access log (``delegation.used``)."""
    async with uow:
        event = used(
            delegation, what="prefill", matter_code=matter_code, at=uow.clock.now(), material_ids=material_ids
        )
        uow.emit(event)
        await uow.commit()
