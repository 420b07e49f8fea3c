"""``GET /api/v1/materials?ids=``: one call for several materials, the owner's only (others are absent)."""

from __future__ import annotations

import httpx
import pytest

from .helpers import applicant, headers, pdf_bytes, upload

pytestmark = pytest.mark.integration


async def test_a_batch_read_answers_the_callers_materials_with_the_fields_of_a_single_read(
    client: httpx.AsyncClient,
) -> None:
    owner, stranger = applicant(), applicant()
    mine = [(await upload(client, owner, pdf_bytes(), material_type=k)).json() for k in ("id_card", "photo")]
    unrelated = (await upload(client, owner, pdf_bytes())).json()
    theirs = (await upload(client, stranger, pdf_bytes())).json()
    asked = [mine[0]["id"], theirs["id"], "no-such-material", mine[1]["id"]]

    response = await client.get(
        "/api/v1/materials", params={"ids": ",".join(asked), "limit": 100}, headers=headers(owner)
    )

    assert response.status_code == 200, response.text
    body = response.json()
    single = [(await client.get(f"/api/v1/materials/{m['id']}", headers=headers(owner))).json() for m in mine]
    assert sorted(body["items"], key=lambda m: m["id"]) == sorted(single, key=lambda m: m["id"])
    assert body["total"] == 2
    assert unrelated["id"] not in {m["id"] for m in body["items"]}


async def test_a_batch_read_of_another_persons_materials_is_empty_not_an_error(
    client: httpx.AsyncClient,
) -> None:
    theirs = (await upload(client, applicant(), pdf_bytes())).json()

    response = await client.get(
        "/api/v1/materials", params={"ids": theirs["id"]}, headers=headers(applicant())
    )

    assert response.status_code == 200
    assert response.json()["items"] == [] and response.json()["total"] == 0


@pytest.mark.parametrize("ids", ["", " , ", ",".join(f"m{i}" for i in range(101))])
async def test_a_batch_read_of_no_or_more_than_100_ids_is_422_naming_the_field(
    client: httpx.AsyncClient, ids: str
) -> None:
    response = await client.get("/api/v1/materials", params={"ids": ids}, headers=headers(applicant()))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "ids"
