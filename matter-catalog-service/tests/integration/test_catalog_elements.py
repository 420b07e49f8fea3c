"""Issue 21 on real PostgreSQL: publishing refuses a matter missing required elements, and the guide is
tailored to the answers of its 情形 questions (JSON and the printable page)."""

from __future__ import annotations

import pytest

from .conftest import Catalog, a_draft

pytestmark = pytest.mark.integration

_ELEMENTS = (
    "legal_bases",
    "implementing_body",
    "service_objects",
    "conditions",
    "process",
    "fee",
    "place",
    "hours",
    "consultation",
    "complaint",
)


async def test_a_draft_without_its_elements_is_saved_but_publishing_names_every_missing_one(
    catalog: Catalog,
) -> None:
    draft = a_draft(materials=[{"material_type": "premises_proof", "form": "copy", "source": None}])
    draft["items"][0] = {k: v for k, v in draft["items"][0].items() if k not in _ELEMENTS}

    saved = await catalog.client.post("/api/v1/admin/matters", json=draft, headers=catalog.admin)
    refused = await catalog.client.post(
        f"/api/v1/admin/matters/{draft['code']}/publish", headers=catalog.admin
    )

    assert saved.status_code == 201
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
    assert {e["field"] for e in refused.json()["errors"]} == {
        "items[0].legal_bases",
        "items[0].implementing_body",
        "items[0].service_objects",
        "items[0].conditions",
        "items[0].process",
        "items[0].place",
        "items[0].hours",
        "items[0].consultation",
        "items[0].complaint",
        "items[0].fee.basis",
        "items[0].materials[0].source",
        "items[0].materials[0].copies",
    }
    assert (await catalog.get(f"/api/v1/matters/{draft['code']}")).status_code == 404


async def test_a_complete_draft_publishes_its_elements_in_the_version(catalog: Catalog) -> None:
    draft = a_draft()
    await catalog.client.post("/api/v1/admin/matters", json=draft, headers=catalog.admin)

    published = await catalog.client.post(
        f"/api/v1/admin/matters/{draft['code']}/publish", headers=catalog.admin
    )

    item = published.json()["items"][0]
    assert published.status_code == 201
    assert item["legal_bases"] == [{"law": "《测试条例》", "article": "第一条"}]
    assert item["legal_basis"] == "《测试条例》第一条" and item["materials"][0]["source"] == "applicant"


async def test_the_newborn_guide_is_tailored_to_the_answers_in_its_query(catalog: Catalog) -> None:
    """An unmarried local family wanting only the vaccination certificate: 出生医学证明, 预防接种证 and
    出生登记 (always), no 结婚证 (parents_married: no drops it from every item)."""
    answers = {"hukou_place": "local", "parents_married": "no", "wants": "vaccination"}

    whole = (await catalog.get("/api/v1/matters/newborn-birth/guide")).json()
    tailored = (await catalog.get("/api/v1/matters/newborn-birth/guide", params=answers)).json()
    page = await catalog.get(
        "/api/v1/matters/newborn-birth/guide",
        params={**answers, "wants": ""},
        headers={**catalog.applicant, "accept": "text/html"},
    )

    assert [q["key"] for q in whole["questions"]] == ["hukou_place", "parents_married", "wants"]
    assert whole["answers"] is None and len(whole["items"]) == 5
    assert [i["code"] for i in tailored["items"]] == [
        "nhc-birth-medical-cert",
        "ndcpa-vaccination-cert",
        "mps-birth-registration",
    ]
    assert [m["material_type"] for m in tailored["materials"]] == [
        "id_card",
        "birth_medical_cert",
        "hukou_book",
    ]
    assert tailored["answers"] == {
        "hukou_place": ["local"],
        "parents_married": ["no"],
        "wants": ["vaccination"],
    }
    assert (
        "photo" not in str(tailored["form_schema"])
        and "newborn_gender" in tailored["form_schema"]["properties"]
    )
    assert page.status_code == 200 and "您的情形" in page.text and "预防接种证办理" not in page.text


async def test_answers_that_do_not_fit_the_questions_get_a_problem_naming_each(catalog: Catalog) -> None:
    response = await catalog.get(
        "/api/v1/matters/newborn-birth/guide", params={"hukou_place": "mars", "wants": "vaccination"}
    )

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {
        "answers.hukou_place",
        "answers.parents_married",
    }
