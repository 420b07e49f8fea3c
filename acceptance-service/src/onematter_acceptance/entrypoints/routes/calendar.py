"""The operator's legal calendar (admin): the official holiday notices in force, and loading a new one.

``POST /notices`` takes one State Council notice (国务院办公厅关于XXXX年部分节假日安排的通知) in the shape of
``onematter_workdays.HolidayNotice``, as JSON or as the YAML of the notices file (``application/yaml``):
422 ``notice-invalid`` listing every problem, 409 ``notice-outdated`` when that year's notice with the same
or a higher version is stored, 201 with the stored notice. A refused notice changes nothing.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from fastapi import APIRouter, Request, status
from onematter_kit.errors import ConflictError, ProblemError, UnsupportedMediaTypeError
from onematter_kit.identity import Role
from onematter_kit.internal_auth import CurrentPrincipal, require_roles
from onematter_workdays import HolidayNotice, NoticeInvalid, NoticeOutdated, notice_from_dict

from onematter_acceptance.entrypoints.deps import CalendarDep, CollaboratorsDep, UowDep
from onematter_acceptance.entrypoints.public.calendar import CalendarPublic, StoredNoticePublic
from onematter_acceptance.service_layer.notices import LoadNotice, load_notice

__all__ = ["NoticeInvalidProblem", "NoticeOutdatedProblem", "router"]

router = APIRouter(prefix="/api/v1/admin/calendar", tags=["calendar"])
_YAML = ("application/yaml", "application/x-yaml", "text/yaml")
#: The field a problem sentence starts with (``holidays[7] 端午节: ...``, ``holidays.0.first: ...``).
_WHERE = re.compile(
    r"^(?:year|document_number|issued_on|version|title|holidays|adjusted_workdays)(?:\[\d+\]|\.\w+)*"
)


class NoticeInvalidProblem(ProblemError):
    """``problems``: every problem of the notice, as sentences; ``errors``: the same per field."""

    status, slug, title = 422, "notice-invalid", "The holiday notice is invalid"

    def __init__(self, error: NoticeInvalid) -> None:
        errors = [{"field": _field(p), "message": p} for p in error.problems]
        super().__init__(str(error), extensions={"problems": list(error.problems), "errors": errors})


class NoticeOutdatedProblem(ConflictError):
    slug, title = "notice-outdated", "A notice of that year with the same or a higher version is loaded"


def _field(problem: str) -> str:
    found = _WHERE.match(problem)
    return found.group(0) if found else "notice"


def _notice_schema() -> dict[str, Any]:
    """``HolidayNotice``'s JSON Schema with its definitions inlined (the OpenAPI document has no $defs)."""
    schema = HolidayNotice.model_json_schema()
    definitions = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(definitions[node["$ref"].rsplit("/", 1)[-1]])
            return {key: inline(value) for key, value in node.items()}
        return [inline(item) for item in node] if isinstance(node, list) else node

    return dict(inline(schema))


def _body(raw: bytes, content_type: str) -> HolidayNotice:
    """The notice in the request body; raises the problems above (415 for another media type)."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media != "application/json" and media not in _YAML:
        raise UnsupportedMediaTypeError("Send the notice as application/json or application/yaml.")
    try:
        parsed = yaml.safe_load(raw) if media in _YAML else json.loads(raw)
        if not isinstance(parsed, dict):
            raise NoticeInvalid(["notice: expected one notice (year, document_number, issued_on, ...)"])
        return notice_from_dict(parsed)
    except (yaml.YAMLError, ValueError, UnicodeDecodeError) as error:
        problem = error if isinstance(error, NoticeInvalid) else NoticeInvalid([f"notice: not valid {media}"])
        raise NoticeInvalidProblem(problem) from None


@router.get("/notices", dependencies=[require_roles(Role.admin)])
async def list_notices(calendar: CalendarDep) -> CalendarPublic:
    """The official State Council notices in force, one per year (the highest version), and the rule for an
    application accepted on a non-working day."""
    return CalendarPublic.of(calendar)


@router.post(
    "/notices",
    status_code=status.HTTP_201_CREATED,
    dependencies=[require_roles(Role.admin)],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": _notice_schema()},
                "application/yaml": {"schema": {"type": "string"}},
            },
        }
    },
)
async def load(
    request: Request, principal: CurrentPrincipal, uow: UowDep, collaborators: CollaboratorsDep
) -> StoredNoticePublic:
    """Load an official notice: the deadlines it moves are recomputed, stored and announced at once."""
    notice = _body(await request.body(), request.headers.get("content-type", ""))
    command = LoadNotice(notice, loaded_by=f"admin:{principal.subject}")
    try:
        loaded = await load_notice(command, uow, rule=collaborators.calendar.rule)
    except NoticeOutdated as error:
        raise NoticeOutdatedProblem(str(error)) from None
    collaborators.calendar = loaded.calendar  # this replica at once; the others at their next round
    return StoredNoticePublic.of(loaded.stored)
