"""减填 / 免提交: what the platform already knows for an applicant before the form is filled (rules in
:mod:`onematter_acceptance.domain.prefill`). A window clerk asks for the applicant at the counter
(``on_behalf_of``, 帮办代办), as when submitting."""

from __future__ import annotations

from dataclasses import dataclass

from onematter_kit.errors import NotFoundError
from onematter_kit.identity import Principal

from onematter_acceptance.adapters.material_client import MaterialClient
from onematter_acceptance.domain.prefill import Prefill, coverage, known_values, reuse_candidates
from onematter_acceptance.service_layer.submission import applicant_for
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["ReadPrefill", "prefill"]


@dataclass(frozen=True, kw_only=True)
class ReadPrefill:
    matter_code: str
    caller: Principal
    on_behalf_of: str | None = None


async def prefill(query: ReadPrefill, uow: AcceptanceUnitOfWork, *, materials: MaterialClient) -> Prefill:
    """404 for a matter that takes no applications; the material service is asked after the transaction."""
    applicant = applicant_for(query.caller, query.on_behalf_of)
    async with uow:
        matter = await uow.matters.current(query.matter_code)
        earlier = await uow.applications.earlier_of(applicant.subject)
    if matter is None:
        raise NotFoundError(f"No key matter {query.matter_code}.")
    licences = await materials.licences(applicant, today=uow.clock.today())
    held = {lic.licence_type: lic for lic in licences}
    candidates = reuse_candidates(matter, [e.materials for e in earlier], held)
    found = await materials.materials(applicant, list(candidates.values()))
    still_there = {kind: i for kind, i in candidates.items() if i in found}
    values, sources = known_values(matter, [e.form for e in earlier], licences)
    return Prefill(
        matter_code=query.matter_code,
        applicant_id=applicant.subject,
        values=values,
        sources=sources,
        materials=coverage(matter, held, still_there),
    )
