"""NUL characters are refused with a 422 problem before a route (and PostgreSQL) sees them."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from onematter_kit.nul_guard import NulByteGuard


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/things/{thing}")
    async def read(thing: str, q: str = "") -> dict[str, str]:
        return {"thing": thing, "q": q}

    @app.post("/things")
    async def create(body: dict[str, str]) -> dict[str, str]:
        return body

    app.add_middleware(NulByteGuard)
    return app


@pytest.fixture
async def client():  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.mark.parametrize("url", ["/things/a%00b", "/things/a?q=x%00", "/things/a?q=%00&x=1"])
async def test_a_nul_in_the_path_or_query_is_a_422_problem(client, url: str) -> None:  # type: ignore[no-untyped-def]
    response = await client.get(url)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["message"] == "contains a NUL character"


async def test_a_nul_escape_in_a_json_body_is_a_422_problem(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.post(
        "/things", content=b'{"name": "a\\u0000"}', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"


async def test_an_escaped_backslash_before_u0000_is_text_and_passes(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.post(
        "/things", content=b'{"name": "a\\\\u0000"}', headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
    assert response.json() == {"name": "a\\u0000"}


async def test_clean_requests_pass_unchanged(client) -> None:  # type: ignore[no-untyped-def]
    assert (await client.get("/things/a?q=%01")).json() == {"thing": "a", "q": "\x01"}
    assert (await client.post("/things", json={"name": "张三"})).json() == {"name": "张三"}


@pytest.mark.parametrize("text", [b"a\\ud800", b"\\ud800b", b"\\udc00", b"x\\ud83d\\u0041"])
async def test_an_unpaired_surrogate_in_a_json_body_is_a_422_problem(client, text: bytes) -> None:  # type: ignore[no-untyped-def]
    body = b'{"name": "' + text + b'"}'
    response = await client.post("/things", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "contains an unpaired surrogate (not a character)"


async def test_a_surrogate_pair_is_a_character_and_passes(client) -> None:  # type: ignore[no-untyped-def]
    body = b'{"name": "\\ud83d\\ude00 \\\\ud800"}'  # an emoji, then the text "\\ud800"
    response = await client.post("/things", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"name": "\U0001f600 \\ud800"}
