"""Names asked of the catalog: by kind, signed for the catalog, and nothing (never an error) on failure."""

from __future__ import annotations

import httpx
from onematter_kit.identity import INTERNAL_HEADER, InternalTokenSigner, InternalTokenVerifier
from onematter_kit.settings import DEVELOPMENT_INTERNAL_SECRET
from onematter_notification.adapters.catalog_names import CatalogNameSource
from onematter_notification.domain.names import CatalogNameRow
from onematter_notification.domain.templates import Ref

SIGNER = InternalTokenSigner(DEVELOPMENT_INTERNAL_SECRET, issuer="onematter-notification")


def _source(handle) -> CatalogNameSource:  # type: ignore[no-untyped-def]
    return CatalogNameSource(base_url="http://catalog", signer=SIGNER, transport=httpx.MockTransport(handle))


async def test_materials_and_departments_are_named_from_the_catalogs_reads_signed_for_the_catalog() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/api/v1/material-types":
            vaccination = {
                "code": "vaccination_cert",
                "name_zh": "预防接种证",
                "name_en": "Vaccination certificate",
            }
            return httpx.Response(200, json={"items": [vaccination], "total": 1})
        return httpx.Response(200, json={"code": "ndcpa", "name_zh": "疾控局", "name_en": "Disease control"})

    rows = await _source(handle).names_of({Ref("material", "vaccination_cert"), Ref("department", "ndcpa")})

    assert set(rows) == {
        CatalogNameRow(kind="department", code="ndcpa", name_zh="疾控局", name_en="Disease control"),
        CatalogNameRow(
            kind="material", code="vaccination_cert", name_zh="预防接种证", name_en="Vaccination certificate"
        ),
    }
    verifier = InternalTokenVerifier(DEVELOPMENT_INTERNAL_SECRET, audience="matter-catalog")
    assert {verifier.verify(r.headers[INTERNAL_HEADER]).subject for r in seen} == {"notification"}


async def test_an_unreachable_catalog_or_a_code_that_cannot_be_one_gives_no_names() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    assert await _source(refuse).names_of({Ref("matter", "newborn-birth")}) == []
    assert await _source(refuse).names_of({Ref("matter", "../admin")}) == []
