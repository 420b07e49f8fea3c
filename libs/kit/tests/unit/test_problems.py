import httpx
from fastapi import FastAPI
from onematter_kit.errors import ConflictError
from onematter_kit.problems import install_problem_handlers
from pydantic import BaseModel, Field


class Body(BaseModel):
    name: str = Field(min_length=2)
    age: int


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def create(body: Body) -> dict[str, str]:
        return {"name": body.name}

    @app.get("/conflict")
    async def conflict() -> None:
        raise ConflictError("already there", extensions={"existing": "x-1"})

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internal detail /etc/passwd")

    return app


async def _client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_validation_errors_name_each_field_in_problem_json():
    async with await _client() as client:
        response = await client.post("/things", json={"name": "x"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"name", "age"}


async def test_a_domain_error_keeps_its_type_and_extensions():
    async with await _client() as client:
        response = await client.get("/conflict")
    body = response.json()
    assert response.status_code == 409
    assert body["type"].endswith("/conflict") and body["existing"] == "x-1"


async def test_an_unexpected_error_reveals_nothing_of_its_cause():
    async with await _client() as client:
        response = await client.get("/boom")
    assert response.status_code == 500
    assert "passwd" not in response.text and "Traceback" not in response.text
    assert response.headers["content-type"] == "application/problem+json"


async def test_an_unknown_route_is_a_problem_too():
    async with await _client() as client:
        response = await client.get("/nowhere")
    assert response.status_code == 404 and response.json()["status"] == 404


async def test_a_database_that_is_shutting_down_is_a_503_with_retry_after_not_a_500():
    import asyncpg
    from sqlalchemy.exc import DBAPIError

    app = _app()

    @app.get("/shutting-down")
    async def shutting_down() -> None:
        # What the asyncpg dialect raises while PostgreSQL stops or starts: a bare DBAPIError.
        cause = asyncpg.exceptions.CannotConnectNowError("the database system is shutting down")
        raise DBAPIError("SELECT 1", None, cause) from cause

    # raise_app_exceptions stays on: the 503 must be answered inside the app, not by the server-error
    # middleware that re-raises (a traceback in the log and a dropped connection for every request).
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/shutting-down")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json()["type"].endswith("/service-unavailable")
    assert "shutting down" not in response.text
