"""Property-based fuzzing of the public API (schemathesis) through the gateway, as every kind of caller.

The schema is the gateway's merged ``/openapi.json`` — the contract clients are given. For each role a
demo user's token goes on every case, and only the operations that role may call are generated (the
other roles' 403 is the security matrix's job, not worth fuzzing examples). Every response must:
not be a 5xx, have a status code, content type and body the document declares, and reject invalid
input (negative data) with a 4xx. Any failure fails the test.

Bounded so the run stays under ~60 s: 6 examples per operation and mode, no shrinking, no example
database, requests paced under the per-identity rate limit.

Excluded, and why:
- ``GET /api/v1/notifications/stream`` (Server-Sent Events): a 200 never ends, so a case would hang
  until its timeout. tests/e2e/test_notifications.py exercises it; its one input is a free-text
  ``Last-Event-ID`` header.
- Admin writes aimed at the seeded matters (publish/retire/replace of a catalog matter other tests
  rely on) are skipped by :func:`_harms_shared_data` — random codes are still fuzzed.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode, checks
from schemathesis.specs.openapi import checks as openapi_checks

pytestmark = pytest.mark.e2e

#: One demo user per role; ``None`` is the anonymous caller of public routes.
ROLE_USERS: dict[str, str | None] = {
    "anonymous": None,
    "applicant": "acme-corp",
    "clerk": "clerk01",
    "officer": "officer-nhc",
    "supervisor": "supervisor",
    "admin": "admin",
    "hotline_operator": "operator01",
    "hotline_dispatcher": "dispatcher01",
}
MAX_EXAMPLES = 6
EXCLUDED = {("GET", "/api/v1/notifications/stream")}
CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.negative_data_rejection,
    openapi_checks.missing_required_header,
    openapi_checks.ignored_auth,
]
#: Every multipart field is text on the wire: a "negative" integer or boolean for a string field arrives as
#: the string "123" or "true", which is valid input, so negative-data rejection proves nothing there.
MULTIPART_CHECKS = [check for check in CHECKS if check is not openapi_checks.negative_data_rejection]


@pytest.fixture(scope="session")
def public_document(system: Any) -> dict[str, Any]:
    response = httpx.get(f"{system.gateway_url}/openapi.json", timeout=30)
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    assert "x-unavailable-services" not in document["info"], document["info"]
    return document


@pytest.fixture(scope="session")
def seeded_matters(system: Any) -> set[str]:
    response = httpx.get(f"{system.gateway_url}/api/v1/matters", params={"limit": 100}, timeout=30)
    return {m["matter_code"] for m in response.json()["items"]}


@pytest.fixture
def auth_headers(system: Any, role: str) -> dict[str, str]:
    username = ROLE_USERS[role]
    if username is None:
        return {}
    response = httpx.post(
        f"{system.gateway_url}/auth/token", json={"username": username, "password": "demo"}, timeout=30
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def role_schema(system: Any, public_document: dict[str, Any], role: str) -> schemathesis.BaseSchema:
    """The public document cut down to what ``role`` may call (anonymous: the public operations)."""
    document = {**public_document, "paths": {}}
    for path, operations in public_document["paths"].items():
        kept = {
            method: op
            for method, op in operations.items()
            if (method.upper(), path) not in EXCLUDED and _allowed(op, role)
        }
        if kept:
            document["paths"][path] = kept
    schema = schemathesis.openapi.from_dict(document)
    schema.config.update(base_url=system.gateway_url, request_timeout=15)
    return schema


def _allowed(operation: dict[str, Any], role: str) -> bool:
    roles = operation.get("x-roles") or []  # the gateway's own routes (login) carry none: public
    return not roles if role == "anonymous" else role in roles


def _harms_shared_data(case: schemathesis.Case, seeded: set[str]) -> bool:
    code = (case.path_parameters or {}).get("code")
    return case.method != "GET" and case.path.startswith("/api/v1/admin/matters/") and code in seeded


#: Under the gateway's per-identity rate (50/s): a fuzzer that outruns it waits out whole seconds of 429s.
_MIN_INTERVAL = 1 / 45
_last_call = [0.0]


def _call(case: schemathesis.Case, headers: dict[str, str]) -> schemathesis.Response:
    """Calls the case at a pace under the rate limit; a 429 anyway is waited out, not judged."""
    for _ in range(5):
        time.sleep(max(0.0, _last_call[0] + _MIN_INTERVAL - time.monotonic()))
        _last_call[0] = time.monotonic()
        response = case.call(headers=headers)
        if response.status_code != 429:
            return response
        time.sleep(float(response.headers.get("retry-after", ["1"])[0]))
    return response


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_every_public_operation_survives_fuzzing_as_every_role(
    role_schema: schemathesis.BaseSchema, auth_headers: dict[str, str], seeded_matters: set[str]
) -> None:
    failures: list[str] = []
    for result in role_schema.get_all_operations():
        operation = result.ok()
        modes = [GenerationMode.POSITIVE]
        if _can_be_invalid(operation.definition.raw):
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:
            try:
                _fuzz(operation.as_strategy(mode, headers=auth_headers), auth_headers, seeded_matters)
            except (
                Exception,
                BaseExceptionGroup,
            ) as exc:  # every operation is fuzzed, then all failures shown
                failures.append(f"{mode.value} {operation.label}: {_summary(exc)}")
    assert not failures, "\n\n".join(failures)


def _can_be_invalid(operation: dict[str, Any]) -> bool:
    """Whether negative data exists: a body, or a parameter with more than "any string" allowed.

    Only free-text path and header parameters cannot be made invalid; Hypothesis would spend seconds
    per operation looking for such input before giving up (``Unsatisfiable``).
    """
    free_text = ({"type": "string"}, {"anyOf": [{"type": "string"}, {"type": "null"}]})
    return "requestBody" in operation or any(
        {k: v for k, v in p.get("schema", {}).items() if k not in ("title", "description")} not in free_text
        for p in operation.get("parameters", [])
    )


def _summary(exc: Exception) -> str:
    """The failure's checks, what came back and how to reproduce it, in a few lines."""
    lines = [line.strip() for line in str(exc).splitlines()]
    keep = [line[:300] for line in lines if line.startswith(("- ", "Received", "Documented", "`", "curl "))]
    return "\n    ".join(keep) or f"{type(exc).__name__}: {exc}"


def _fuzz(strategy: Any, headers: dict[str, str], seeded: set[str]) -> None:
    @hypothesis.given(case=strategy)
    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        if _harms_shared_data(case, seeded):
            return
        multipart = (case.media_type or "").startswith("multipart/")
        case.validate_response(
            _call(case, headers), checks=MULTIPART_CHECKS if multipart else CHECKS, headers=headers
        )

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        return  # no invalid input exists (e.g. negative data for a lone free-text path parameter)
