"""One OpenAPI document at the gateway, merged from the backends, listing exactly what the policy allows."""

from __future__ import annotations

import httpx
import pytest
from asgi_lifespan import LifespanManager
from onematter_gateway.config import GatewaySettings
from onematter_gateway.domain.policy import RoutePolicy
from onematter_gateway.domain.routes import default_policy
from onematter_gateway.entrypoints.app import create_app

pytestmark = pytest.mark.integration

GATEWAY_OWN = {("/auth/token", "post")}
METHODS = {"get", "post", "put", "patch", "delete"}


def by_host(apps: dict[str, object]) -> httpx.AsyncBaseTransport:
    """Routes the gateway's own httpx calls to in-process apps by host name (``http://<service>``)."""
    transports = {host: httpx.ASGITransport(app=app) for host, app in apps.items()}  # type: ignore[arg-type]

    class Dispatch(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            transport = transports.get(request.url.host)
            if transport is None:
                raise httpx.ConnectError("nothing listens there", request=request)
            return await transport.handle_async_request(request)

    return Dispatch()


def settings_for_hosts(**overrides: object) -> GatewaySettings:
    return GatewaySettings(
        catalog_url="http://matter-catalog",
        acceptance_url="http://acceptance",
        material_url="http://material",
        notification_url="http://notification",
        hotline_url="http://hotline",
        **overrides,
    )  # type: ignore[arg-type]


def operations(document: dict) -> set[tuple[str, str]]:
    paths = document["paths"]
    return {(path, method) for path, item in paths.items() for method in item if method in METHODS}


async def gateway_document(apps: dict[str, object], policy: RoutePolicy | None = None) -> dict:
    app = create_app(settings_for_hosts(), policy=policy, transport=by_host(apps))
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client,
    ):
        response = await client.get("/openapi.json")
        assert response.status_code == 200
        assert (await client.get("/docs")).status_code == 200
        return response.json()


async def test_the_merged_document_keeps_only_policy_routes_with_bearer_security_and_problems(
    backend_app, test_policy
) -> None:
    document = await gateway_document({"matter-catalog": backend_app}, policy=test_policy)
    expected = {(r.path, r.method.lower()) for r in test_policy.rules if r.service == "matter-catalog"}
    assert operations(document) == expected | GATEWAY_OWN
    assert "/api/v1/internal/reindex" not in document["paths"]
    assert document["info"]["x-unavailable-services"] == ["notification"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    protected = document["paths"]["/api/v1/things/{thing_id}"]["get"]
    assert protected["security"] == [{"bearerAuth": []}]
    assert protected["responses"]["401"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    assert document["paths"]["/api/v1/public"]["get"]["security"] == []
    assert "Problem" in document["components"]["schemas"]


async def test_a_backend_keeps_its_own_openapi_for_internal_callers_only(backend_app) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=backend_app), base_url="http://b") as c:
        response = await c.get("/openapi.json")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def real_service_apps(tmp_path) -> dict[str, object]:
    from onematter_acceptance.entrypoints.app import create_app as acceptance
    from onematter_catalog.entrypoints.app import create_app as catalog
    from onematter_hotline.entrypoints.app import create_app as hotline
    from onematter_material.entrypoints.app import create_app as material
    from onematter_notification.entrypoints.app import create_app as notification

    def env(name: str) -> dict[str, object]:
        return {
            "database_url": f"sqlite+aiosqlite:///{tmp_path}/{name}.db",
            "environment": "test",
            "kafka_enabled": False,
            "run_workers": False,
        }

    apps = {}
    for name, factory in (
        ("matter-catalog", catalog),
        ("acceptance", acceptance),
        ("material", material),
        ("notification", notification),
        ("hotline", hotline),
    ):
        settings_type = factory.__annotations__.get("settings")
        settings_class = factory.__globals__[str(settings_type).split(" | ")[0]]
        apps[name] = factory(settings_class(**env(name)))
    return apps


async def test_guard_the_gateway_openapi_lists_exactly_the_routes_of_the_policy_table(tmp_path) -> None:
    """Drift guard: a policy rule the service does not implement, or a typo in a path, shows up here."""
    document = await gateway_document(real_service_apps(tmp_path))
    expected = {(r.path, r.method.lower()) for r in default_policy().rules}
    assert "x-unavailable-services" not in document["info"]
    missing = sorted(expected - operations(document))
    assert not missing, f"policy routes no service documents: {missing}"
    assert operations(document) - GATEWAY_OWN == expected
