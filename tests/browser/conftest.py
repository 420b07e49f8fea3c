"""Real-browser tests of the reference front-end: the machine's Chromium driven by Playwright.

Browsers are never downloaded (`playwright install` is not used): `ensure_chromium()` finds the Debian
`chromium` package or installs it with apt-get. Pages are opened on the `system` fixture's gateway, every
request a page makes is recorded, and screenshots go to `test-artifacts/screenshots/` at the repo root.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from onematter_devtools.chromium import ensure_chromium
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect, sync_playwright

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
STATIC_PREFIXES = ("/css/", "/js/")
STATIC_FILES = {"/", "/index.html", "/favicon.svg"}
PUBLIC_API = ("/api/v1/",)
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 375, "height": 812}

expect.set_options(timeout=20_000)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Per module, not per session: while Playwright's sync API runs, its event loop counts as running in
    this thread, so the async end-to-end tests that follow could not start theirs."""
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")  # the machine's Chromium, never a download
    executable = ensure_chromium()
    with sync_playwright() as playwright:
        # --no-sandbox: the tests run as root on CI, where Chromium's sandbox refuses to start
        launched = playwright.chromium.launch(executable_path=str(executable), args=["--no-sandbox"])
        yield launched
        launched.close()


@dataclass
class Portal:
    """Opens logged-in pages on the gateway and remembers every URL any of them requested."""

    browser: Browser
    base_url: str
    requests: list[str] = field(default_factory=list)
    #: (status, URL) of every response an API route gave a page: a 401 means a page called a private API
    #: without a valid token.
    responses: list[tuple[int, str]] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)
    #: Uncaught exceptions and console errors (CSP violations among them); HTTP error statuses, which
    #: the pages handle and show, are left out.
    errors: list[str] = field(default_factory=list)

    def open(
        self,
        username: str | None,
        *,
        viewport: dict[str, int] = DESKTOP,
        locale: str = "zh-CN",
        timezone_id: str | None = None,
    ) -> Page:
        """A new browser context (own storage, like another person's browser), logged in through the form;
        ``timezone_id`` sets the browser's own time zone (default: the machine's)."""
        context = self.browser.new_context(
            viewport=viewport, locale=locale, accept_downloads=True, timezone_id=timezone_id
        )
        self.contexts.append(context)
        page = context.new_page()
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("response", lambda response: self.responses.append((response.status, response.url)))
        page.on("pageerror", lambda error: self.errors.append(f"{username}: {error}"))
        page.on("console", lambda message: self._console(username, message))
        page.goto(f"{self.base_url}/#/login")
        if username is not None:
            self.login(page, username)
        return page

    def _console(self, username: str | None, message: ConsoleMessage) -> None:
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.errors.append(f"{username}: {message.text}")

    def login(self, page: Page, username: str) -> None:
        page.fill("#login-user", username)
        page.fill("#login-pass", "demo")
        page.click("form button[type=submit]")
        expect(page.locator("#logout")).to_be_visible()

    def goto(self, page: Page, route: str) -> None:
        page.goto(f"{self.base_url}/#{route}")

    def off_api(self) -> list[str]:
        """Requested URLs that are neither the gateway's public API nor the front-end's static files."""
        origin = urlsplit(self.base_url)
        bad = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("blob", "data"):
                continue
            same_origin = (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc)
            allowed = (
                parts.path.startswith(PUBLIC_API)
                or parts.path == "/auth/token"
                or parts.path in STATIC_FILES
                or parts.path.startswith(STATIC_PREFIXES)
            )
            if not (same_origin and allowed):
                bad.append(url)
        return bad

    def refused(self) -> list[tuple[int, str]]:
        """Responses that refused the caller (401: no or a bad token; 403: the wrong role)."""
        return [(status, url) for status, url in self.responses if status in (401, 403)]

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def portal(system, browser: Browser) -> Iterator[Portal]:  # type: ignore[no-untyped-def]
    # `system` first: its setup and teardown call asyncio.run(), which fails inside Playwright's loop.
    opened = Portal(browser=browser, base_url=system.gateway_url)
    yield opened
    opened.close()


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Saves `test-artifacts/screenshots/<name>.png` (the test's artifact) after fonts and layout settle."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.fonts.ready")
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def api(system, username: str | None = None) -> httpx.Client:  # type: ignore[no-untyped-def]
    """A synchronous client on the gateway (for test setup only: the pages never use it)."""
    headers = {}
    if username is not None:
        credentials = {"username": username, "password": "demo"}
        response = httpx.post(f"{system.gateway_url}/auth/token", json=credentials, timeout=30)
        token = response.json()["access_token"]
        headers["Authorization"] = f"Bearer {token}"
    return httpx.Client(base_url=system.gateway_url, headers=headers, timeout=30)


def pdf_file(material_type: str) -> dict[str, object]:
    """A small PDF for a file input (`set_input_files`)."""
    return {
        "name": f"{material_type}.pdf",
        "mimeType": "application/pdf",
        "buffer": b"%PDF-1.7\n" + secrets.token_bytes(1024) + b"\n%%EOF\n",
    }


# --import-mode=importlib: test modules cannot import this conftest, so its helpers come as fixtures.
@pytest.fixture
def shot():  # type: ignore[no-untyped-def]
    return screenshot


@pytest.fixture
def api_as(system):  # type: ignore[no-untyped-def]
    clients: list[httpx.Client] = []

    def make(username: str | None = None) -> httpx.Client:
        clients.append(api(system, username))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def pdf():  # type: ignore[no-untyped-def]
    return pdf_file
