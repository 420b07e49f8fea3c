"""What the acceptance service relies on from the material service, as cases run against any provider.

The calls are acceptance's own (:class:`onematter_acceptance.adapters.material_client.MaterialClient`):
``GET /api/v1/materials?ids=`` (which of these ids are the applicant's, and their types) and
``GET /api/v1/licences`` (the applicant's valid licences, for 免证办). Each case is run against the fake
acceptance's integration tests use (``acceptance-service/tests/acceptance_testing.py``) and against the
real material service, so the fake cannot drift from the real one unnoticed.

The expected values are what the provider was given (``add_material`` / ``add_licence``) and the material
service's documented rules (owner only; an id not the caller's is absent; at most 100 ids per call;
revoked or expired licences do not satisfy a material), never what the client computes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass
from typing import Protocol

import httpx
import pytest
from onematter_acceptance.adapters.material_client import MaterialClient
from onematter_clock import SystemClock
from onematter_kit.identity import InternalTokenSigner, Principal, Role
from onematter_kit.settings import DEVELOPMENT_INTERNAL_SECRET
from onematter_testkit import make_principal, random_id

__all__ = ["CASES", "MaterialProvider", "SeededLicence"]


@dataclass(frozen=True)
class SeededLicence:
    id: str
    licence_type: str
    number: str | None
    verification_code: str | None


class MaterialProvider(Protocol):
    """One material service, the fake or the real one, as the cases need it."""

    #: Where acceptance's client sends its requests.
    transport: httpx.AsyncBaseTransport

    async def add_material(self, owner: str, material_type: str) -> str:
        """A material of ``owner``'s locker; its id."""

    async def add_licence(self, owner: str, licence_type: str) -> SeededLicence:
        """A licence issued to ``owner``, valid today."""

    async def revoke_licence(self, licence: SeededLicence) -> None:
        """The issuing department revokes (吊销) it."""


def client(provider: MaterialProvider, *, audience: str = "material") -> MaterialClient:
    """Acceptance's client as acceptance builds it (its own issuer), for ``provider``."""
    signer = InternalTokenSigner(DEVELOPMENT_INTERNAL_SECRET, issuer="onematter-acceptance")
    material_client = MaterialClient(base_url="http://material", signer=signer, transport=provider.transport)
    material_client.audience = audience
    return material_client


def applicant() -> Principal:
    return make_principal(random_id("person"), Role.applicant)


async def owners_materials_come_back_with_their_types_and_others_are_absent(
    provider: MaterialProvider,
) -> None:
    me, someone_else = applicant(), applicant()
    photo = await provider.add_material(me.subject, "photo")
    id_card = await provider.add_material(me.subject, "id_card")
    theirs = await provider.add_material(someone_else.subject, "photo")
    async with aclosing(client(provider)) as materials:
        found = await materials.materials(me, [photo, id_card, theirs, random_id("missing")])
    assert found == {photo: "photo", id_card: "id_card"}


async def more_than_a_hundred_ids_are_all_found(provider: MaterialProvider) -> None:
    me = applicant()
    ids = [await provider.add_material(me.subject, f"type_{n % 7}") for n in range(101)]
    async with aclosing(client(provider)) as materials:
        found = await materials.materials(me, ids)
    assert found == {material_id: f"type_{n % 7}" for n, material_id in enumerate(ids)}


async def a_valid_licence_is_offered_to_its_holder_only(provider: MaterialProvider) -> None:
    me, someone_else = applicant(), applicant()
    mine = await provider.add_licence(me.subject, "birth_medical_cert")
    await provider.add_licence(someone_else.subject, "birth_medical_cert")
    async with aclosing(client(provider)) as materials:
        held = await materials.licences(me, today=SystemClock().today())
    assert [(h.id, h.licence_type, h.number, h.verification_code) for h in held] == [
        (mine.id, mine.licence_type, mine.number, mine.verification_code)
    ]


async def a_revoked_licence_is_not_offered(provider: MaterialProvider) -> None:
    me = applicant()
    licence = await provider.add_licence(me.subject, "birth_medical_cert")
    await provider.revoke_licence(licence)
    async with aclosing(client(provider)) as materials:
        held = await materials.licences(me, today=SystemClock().today())
    assert held == []


async def a_token_for_another_service_is_refused_with_401(provider: MaterialProvider) -> None:
    me = applicant()
    material_id = await provider.add_material(me.subject, "photo")
    async with aclosing(client(provider, audience="catalog")) as materials:
        with pytest.raises(httpx.HTTPStatusError) as refused:
            await materials.materials(me, [material_id])
    assert refused.value.response.status_code == 401


Case = Callable[[MaterialProvider], Awaitable[None]]
CASES: dict[str, Case] = {
    case.__name__: case
    for case in (
        owners_materials_come_back_with_their_types_and_others_are_absent,
        more_than_a_hundred_ids_are_all_found,
        a_valid_licence_is_offered_to_its_holder_only,
        a_revoked_licence_is_not_offered,
        a_token_for_another_service_is_refused_with_401,
    )
}
