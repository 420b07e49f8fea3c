"""The reference front-end served at ``/``: content types, caching, security headers, and that it shadows
none of the gateway's own paths nor serves anything outside its folder."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from onematter_gateway.config import GatewaySettings
from onematter_gateway.entrypoints.app import create_app
from onematter_gateway.entrypoints.web import WEB_ROOT, mount_web

CLOSED = "http://127.0.0.1:1"  # nothing listens: any call that reaches a backend fails fast


class Unreachable(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no backend in unit tests", request=request)


@pytest.fixture(scope="module")
def app() -> FastAPI:
    """One gateway for the module: building one generates the development identity provider's RSA key."""
    settings = GatewaySettings(
        catalog_url=CLOSED, acceptance_url=CLOSED, material_url=CLOSED, notification_url=CLOSED
    )
    return create_app(settings, transport=Unreachable())


@pytest.fixture
async def client(app: FastAPI):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as c:
        yield c


async def test_the_root_is_the_portal_page_with_security_headers_and_no_cache(client) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<main" in response.text and "/js/main.js" in response.text
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-cache"
    again = await client.get("/", headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/js/main.js", "text/javascript; charset=utf-8"),
        ("/css/app.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
        ("/index.html", "text/html; charset=utf-8"),
    ],
)
async def test_assets_have_their_content_type_and_may_be_cached_briefly(client, path, content_type) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] in ("public, max-age=300", "no-cache")
    head = await client.head(path)
    assert head.status_code == 200 and head.headers["content-length"] == str(len(response.content))


async def test_the_gateways_own_paths_are_not_shadowed_by_the_front_end(client) -> None:
    health = await client.get("/healthz")
    assert health.json() == {"status": "alive", "service": "gateway"}
    assert (await client.get("/openapi.json")).headers["content-type"] == "application/json"
    assert (await client.get("/asyncapi.json")).headers["content-type"] == "application/json"
    assert "swagger" in (await client.get("/docs")).text.lower()
    assert (await client.get("/metrics")).status_code == 200
    login = await client.post("/auth/token", json={"username": "nobody", "password": "x"})
    assert login.status_code == 401 and login.headers["content-type"] == "application/problem+json"
    api = await client.get("/api/v1/matters")  # the proxy answers (backend down), not a static page
    assert api.headers["content-type"] == "application/problem+json"
    assert "content-security-policy" not in api.headers


@pytest.mark.parametrize(
    "path",
    [
        "/auth/token",
        "/api",
        "/docs/index.html",
        "/metrics/x",
        "/healthz/x",
        "/../pyproject.toml",
        "/%2e%2e/%2e%2e/config.py",
        "/js/..%2f..%2fentrypoints%2fweb.py",
        "/.hidden",
        "/no-such-page.html",
        "/js/no-such.js",
    ],
)
async def test_reserved_missing_and_escaping_paths_are_404_problems(client, path) -> None:
    response = await client.get(path)
    assert response.status_code in (404, 405)
    assert "text/html" not in response.headers.get("content-type", "")


def test_the_front_end_is_the_last_route_so_it_shadows_nothing_added_before(app: FastAPI) -> None:
    assert app.routes[-1].path == "/{path:path}"


async def test_only_files_of_known_types_inside_the_root_are_served(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<h1>hi</h1>")
    (tmp_path / "secret.py").write_text("TOKEN = 1")
    app = FastAPI()
    mount_web(app, root=tmp_path)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        assert (await c.get("/")).text == "<h1>hi</h1>"
        assert (await c.get("/secret.py")).status_code == 404


def test_every_asset_the_pages_reference_is_shipped() -> None:
    """index.html's links and every ES module import resolve to files in the package (no CDN, no build)."""
    index = (WEB_ROOT / "index.html").read_text(encoding="utf-8")
    referenced = re.findall(r'(?:src|href)="(/[^"]*)"', index)
    assert referenced, "index.html references no asset"
    for url in referenced:
        assert (WEB_ROOT / url.lstrip("/")).is_file(), url
    for module in WEB_ROOT.rglob("*.js"):
        for target in re.findall(r'from "(\.[^"]+)"', module.read_text(encoding="utf-8")):
            assert (module.parent / target).resolve().is_file(), f"{module.name} imports {target}"
        # the SVG namespace is a name, not a fetch
        code = module.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")
        assert "http://" not in code and "https://" not in code, module.name


async def test_the_api_docs_load_swagger_ui_from_the_gateway_not_from_a_cdn(client) -> None:
    page = (await client.get("/docs")).text
    scripts = re.findall(r'<script src="([^"]+)"', page) + re.findall(r'<link[^>]+href="([^"]+)"', page)
    assert scripts and all(url.startswith("/") for url in scripts), scripts
    bundle = await client.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and bundle.headers["content-type"].startswith("text/javascript")
    assert len(bundle.content) > 100_000  # the real Swagger UI bundle, not a placeholder
    assert (await client.get("/docs/assets/../../etc/passwd")).status_code == 404
    assert (await client.get("/docs/assets/secret.py")).status_code == 404


async def test_if_none_match_compares_weakly_and_star_matches_any_version(client) -> None:
    etag = (await client.get("/js/main.js")).headers["etag"]
    for header in (etag, f"W/{etag}", f'"other", W/{etag}', "*"):
        response = await client.get("/js/main.js", headers={"if-none-match": header})
        assert (response.status_code, response.content) == (304, b""), header
    assert (await client.get("/js/main.js", headers={"if-none-match": 'W/"other"'})).status_code == 200


@pytest.mark.parametrize(
    "path", ["/index.html%00.js", "/js/main.js%00", "/%0d%0aSet-Cookie:x", "/js%7f/main.js"]
)
async def test_control_characters_in_a_static_path_are_a_clean_404(client, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/openapi.json", "/asyncapi.json", "/healthz", "/docs", "/metrics"])
async def test_head_is_answered_wherever_get_is(client, path: str) -> None:
    response = await client.head(path)
    assert response.status_code == 200, path
