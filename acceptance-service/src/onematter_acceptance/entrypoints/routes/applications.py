"""``/api/v1/applications``: submit, read, list, prefill (减填), supplements (补正), withdraw, review."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Response
from onematter_kit.errors import PreconditionRequiredError, ValidationProblem
from onematter_kit.internal_auth import CurrentPrincipal

from onematter_acceptance.domain.reviews import LEVELS
from onematter_acceptance.entrypoints.routes import Deps, Limit, Offset
from onematter_acceptance.entrypoints.schemas import ReviewIn, SubmissionIn, SupplementIn
from onematter_acceptance.service_layer import applicant, views
from onematter_acceptance.service_layer.prefill import prefill as known_for_applicant
from onematter_acceptance.service_layer.submission import SubmitApplication, submit_application

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/applications", tags=["applications"])


@router.post(
    "",
    status_code=201,
    responses={
        200: {"description": "The same application again: this Idempotency-Key was already used"},
        428: {"description": "No Idempotency-Key header"},
    },
)
async def submit(
    body: SubmissionIn,
    principal: CurrentPrincipal,
    deps: Deps,
    response: Response,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """201 with the new application; 200 with the same one when the Idempotency-Key is replayed."""
    if not idempotency_key:
        raise PreconditionRequiredError(
            "Send an Idempotency-Key header, so a retried submission is not doubled."
        )
    if len(idempotency_key) > 128:
        raise ValidationProblem(errors=[{"field": "Idempotency-Key", "message": "at most 128 characters"}])
    number, created = await submit_application(
        SubmitApplication(caller=principal, idempotency_key=idempotency_key, **body.model_dump()), deps
    )
    if not created:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = f"/api/v1/applications/{number}"
    return await views.application_detail(number, principal, deps)


@router.get("")
async def list_applications(
    principal: CurrentPrincipal,
    deps: Deps,
    limit: Limit = 20,
    offset: Offset = 0,
    status: str | None = None,
    matter_code: str | None = None,
) -> dict[str, Any]:
    return await views.list_applications(
        principal, deps, limit=limit, offset=offset, status=status, matter_code=matter_code
    )


@router.get("/prefill")
async def prefill(
    matter_code: str, principal: CurrentPrincipal, deps: Deps, on_behalf_of: str | None = None
) -> dict[str, Any]:
    """Known form values and which materials are already covered (licence held or earlier material)."""
    return await known_for_applicant(matter_code, principal, deps, on_behalf_of=on_behalf_of)


@router.get("/{number}")
async def read(number: str, principal: CurrentPrincipal, deps: Deps) -> dict[str, Any]:
    return await views.application_detail(number, principal, deps)


@router.post("/{number}/supplements")
async def supplement(
    number: str, body: SupplementIn, principal: CurrentPrincipal, deps: Deps
) -> dict[str, Any]:
    resumed = await applicant.answer_supplement(number, principal, body.materials, deps)
    return {**await views.application_detail(number, principal, deps), "resumed_task_ids": resumed}


@router.post("/{number}/withdraw")
async def withdraw(number: str, principal: CurrentPrincipal, deps: Deps) -> dict[str, Any]:
    await applicant.withdraw_application(number, principal, deps)
    return await views.application_detail(number, principal, deps)


@router.post("/{number}/review", status_code=201)
async def review(number: str, body: ReviewIn, principal: CurrentPrincipal, deps: Deps) -> dict[str, Any]:
    saved, rectification = await applicant.review_application(
        number, principal, level=body.level, comment=body.comment, deps=deps
    )
    return {
        "acceptance_number": number,
        "level": saved.level,
        "label": saved.label,
        "comment": saved.comment,
        "bad": saved.bad,
        "levels": LEVELS,
        "rectification": None
        if rectification is None
        else {
            "id": rectification.id,
            "department": rectification.department,
            "due": rectification.due.isoformat(),
            "status": rectification.status,
        },
    }
