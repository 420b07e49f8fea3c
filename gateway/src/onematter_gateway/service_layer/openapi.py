"""One OpenAPI document for the whole platform, merged from the backends' own documents.

Only the paths and methods the policy table allows are kept — internal routes of a service never show.
Each backend's ``/openapi.json`` is fetched with an internal token the gateway signs (services serve it to
nobody else), cached for ``cache_seconds`` and refreshed lazily on the next request after that; a backend
that cannot be reached keeps its last document, or is listed under ``x-unavailable-services``.
"""

from __future__ import annotations

import asyncio
import copy
import json
import time
from typing import Any

import httpx
from onematter_kit.identity import INTERNAL_HEADER, InternalTokenSigner, Principal, Role

from onematter_gateway.domain.policy import RoutePolicy, RouteRule

__all__ = ["GATEWAY_SERVICE", "PROBLEM_SCHEMA", "OpenApiAggregator"]

GATEWAY_SERVICE = Principal(subject="gateway", roles=frozenset({Role.service}))
_REF = "#/components/schemas/"
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details (application/problem+json).",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "Field errors of a 422",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
_GATEWAY_ERRORS = {
    "401": "No or invalid access token",
    "403": "Role not allowed",
    "404": "Not found (or not yours)",
    "413": "Body too large",
    "429": "Rate limited",
    "503": "Backend unavailable",
    "504": "Backend timed out",
}

#: The gateway's own routes (the development login) answer these without a backend behind them.
_OWN_ERRORS = {"401": "Unknown user or wrong password", "413": "Body too large", "429": "Rate limited"}


class OpenApiAggregator:
    def __init__(
        self,
        *,
        policy: RoutePolicy,
        clients: dict[str, httpx.AsyncClient],
        signer: InternalTokenSigner,
        own: dict[str, Any],
        cache_seconds: float,
    ) -> None:
        self._policy, self._clients, self._signer, self._own = policy, clients, signer, own
        self._cache_seconds = cache_seconds
        self._backend_docs: dict[str, dict[str, Any]] = {}
        self._merged: dict[str, Any] | None = None
        self._built_at = float("-inf")
        self._lock = asyncio.Lock()

    async def document(self) -> dict[str, Any]:
        async with self._lock:  # one refresh at a time; the others get its result
            if self._merged is None or time.monotonic() - self._built_at > self._cache_seconds:
                unavailable = await self._refresh()
                self._merged = merge(self._own, self._backend_docs, self._policy, unavailable=unavailable)
                self._built_at = time.monotonic()
            return self._merged

    async def _refresh(self) -> list[str]:
        names = sorted({r.service for r in self._policy.rules})
        results = await asyncio.gather(*(self._fetch(name) for name in names))
        for name, doc in zip(names, results, strict=True):
            if doc is not None:
                self._backend_docs[name] = doc
        return [name for name in names if name not in self._backend_docs]

    async def _fetch(self, service: str) -> dict[str, Any] | None:
        headers = {INTERNAL_HEADER: self._signer.sign(GATEWAY_SERVICE, audience=service)}
        try:
            response = await self._clients[service].get("/openapi.json", headers=headers)
            response.raise_for_status()
            return dict(response.json())
        except (httpx.HTTPError, ValueError):
            return None


def merge(
    own: dict[str, Any], backends: dict[str, dict[str, Any]], policy: RoutePolicy, *, unavailable: list[str]
) -> dict[str, Any]:
    """The public document: ``own`` (the gateway's routes) plus each policy rule's backend operation."""
    doc = copy.deepcopy(own)
    doc["openapi"] = own.get("openapi", "3.1.0")
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    doc["components"]["securitySchemes"] = {
        "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    }
    schemas["Problem"] = PROBLEM_SCHEMA
    for operations in doc.get("paths", {}).values():
        for operation in operations.values():
            _document_errors(operation, _OWN_ERRORS)
    if unavailable:
        doc.setdefault("info", {})["x-unavailable-services"] = unavailable
    for service, backend in sorted(backends.items()):
        rules = [r for r in policy.rules if r.service == service]
        _add_service(doc, backend, rules, prefix=_schema_prefix(service))
    return doc


def _add_service(
    doc: dict[str, Any], backend: dict[str, Any], rules: list[RouteRule], *, prefix: str
) -> None:
    backend_schemas = backend.get("components", {}).get("schemas", {})
    kept = {
        (r.path, r.method.lower()): r
        for r in rules
        if r.method.lower() in backend.get("paths", {}).get(r.path, {})
    }
    operations = {
        key: _decorate(copy.deepcopy(backend["paths"][key[0]][key[1]]), rule) for key, rule in kept.items()
    }
    needed = _reachable(operations, backend_schemas)
    renames = {
        name: _free_name(name, backend_schemas[name], doc["components"]["schemas"], prefix)
        for name in sorted(needed)
    }
    for name, new in renames.items():
        doc["components"]["schemas"][new] = _rewrite(copy.deepcopy(backend_schemas[name]), renames)
    for (path, method), operation in operations.items():
        doc.setdefault("paths", {}).setdefault(path, {})[method] = _rewrite(operation, renames)


def _decorate(operation: dict[str, Any], rule: RouteRule) -> dict[str, Any]:
    operation["security"] = [] if rule.public else [{"bearerAuth": []}]
    operation["x-roles"] = sorted(rule.roles)
    if rule.summary and not operation.get("summary"):
        operation["summary"] = rule.summary
    skip = ("401", "403") if rule.public else ()
    return _document_errors(operation, {k: v for k, v in _GATEWAY_ERRORS.items() if k not in skip})


def _document_errors(operation: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """Every error an operation can answer, each as a problem (RFC 9457).

    Besides ``errors``: 422 wherever there is input to validate, 400 wherever there is a body to parse
    (malformed JSON, broken multipart), and any 4xx/5xx the backend declares (e.g. 428) keeps its
    description but gets the problem schema — FastAPI would describe it as JSON or not at all.
    """
    responses = operation.setdefault("responses", {})
    for status, text in errors.items():
        responses.setdefault(status, {"description": text})
    if operation.get("parameters") or operation.get("requestBody"):
        responses.setdefault("422", {"description": "Validation failed (field errors)"})
    if operation.get("requestBody"):
        responses.setdefault("400", {"description": "The body cannot be parsed"})
    if "422" in responses:  # FastAPI describes it as HTTPValidationError; ours is a problem
        responses["422"]["description"] = "Validation failed (field errors)"
    for status, response in responses.items():
        if status[:1] in ("4", "5"):
            response["content"] = {"application/problem+json": {"schema": {"$ref": _REF + "Problem"}}}
    return operation


def _reachable(operations: dict[Any, Any], schemas: dict[str, Any]) -> set[str]:
    seen: set[str] = set()
    pending = _refs(list(operations.values()))
    while pending:
        name = pending.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        pending |= _refs(schemas[name])
    return seen


def _refs(node: Any) -> set[str]:
    text = json.dumps(node)
    found: set[str] = set()
    for part in text.split('"$ref": "' + _REF)[1:]:
        found.add(part.split('"', 1)[0])
    return found


def _free_name(name: str, schema: dict[str, Any], taken: dict[str, Any], prefix: str) -> str:
    """The same name when free or identical; otherwise the service-prefixed name."""
    if name not in taken or taken[name] == schema:
        return name
    return prefix + name


def _rewrite(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF) and ref[len(_REF) :] in renames:
            node["$ref"] = _REF + renames[ref[len(_REF) :]]
        for value in node.values():
            _rewrite(value, renames)
    elif isinstance(node, list):
        for item in node:
            _rewrite(item, renames)
    return node


def _schema_prefix(service: str) -> str:
    return "".join(part.capitalize() for part in service.split("-"))
