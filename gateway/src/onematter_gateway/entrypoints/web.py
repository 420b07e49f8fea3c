"""The reference web front-end (portal, window-clerk console, workbench, dashboard) served at ``/``.

Static files only (package data in ``onematter_gateway/web``): every byte of business data is fetched by
the browser from the public ``/api/v1`` API, so the pages show integrators how the API is meant to be
used. The catch-all route is added last and refuses the gateway's own prefixes, so it never shadows
``/api``, ``/auth``, ``/docs``, ``/openapi.json``, ``/asyncapi.json``, ``/healthz``, ``/readyz`` or
``/metrics`` (``/api/...`` never even reaches FastAPI: :class:`GatewayApp` routes it to the proxy).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from onematter_kit.problems import problem_response

from onematter_gateway.domain.conditional import none_match

__all__ = ["SECURITY_HEADERS", "WEB_ROOT", "mount_web"]

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"

#: The page may load and call only its own origin; no framing (clickjacking), no sniffing, no referrer
#: leaking acceptance numbers in URLs to other sites.
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain; charset=utf-8",
}
_RESERVED = ("api", "auth", "docs", "openapi.json", "asyncapi.json", "healthz", "readyz", "metrics")


def mount_web(app: FastAPI, *, root: Path = WEB_ROOT) -> None:
    """Serve ``root`` at ``/`` (``index.html`` for ``/``); call it after every other route is added.

    HTML is ``no-cache`` (always revalidated, so a deploy shows at once); other assets may be cached for
    five minutes; both carry an ETag, and an ``If-None-Match`` naming it (weakly compared) or ``*`` gets
    a 304. HEAD is served as GET without the body (:class:`~onematter_gateway.entrypoints.app.GatewayApp`).
    """
    base = root.resolve()

    async def serve(request: Request, path: str = "") -> Response:
        file = _resolve(base, path)
        if file is None:
            return problem_response(404, detail=f"No page or asset at /{path}.")
        body = file.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        is_html = file.suffix == ".html"
        headers = {
            **SECURITY_HEADERS,
            "etag": etag,
            "cache-control": "no-cache" if is_html else "public, max-age=300",
        }
        if none_match(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=_TYPES.get(file.suffix, "application/octet-stream"), headers=headers)

    app.add_api_route("/", serve, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route("/{path:path}", serve, methods=["GET", "HEAD"], include_in_schema=False)


def _resolve(base: Path, path: str) -> Path | None:
    """The file for a URL path inside ``base``, or None (reserved prefix, traversal, hidden, missing)."""
    first = path.split("/", 1)[0]
    if first in _RESERVED or any(part.startswith(".") for part in path.split("/") if part):
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in path):  # %00 and friends: never a file name
        return None
    file = (base / (path or "index.html")).resolve()
    if not file.is_relative_to(base) or not file.is_file() or file.suffix not in _TYPES:
        return None
    return file
