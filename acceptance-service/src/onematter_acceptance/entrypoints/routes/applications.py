"""``/api/v1/applications``: submit, read, list, prefill (减填), supplements (补正), withdraw, review."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response
from onematter_kit.errors import PreconditionRequiredError, ValidationProblem
from onematter_kit.internal_auth import CurrentPrincipal
from onematter_kit.paging import Limit, Offset, Page

from onematter_acceptance.entrypoints.deps import CalendarDep, CollaboratorsDep, UowDep
from onematter_acceptance.entrypoints.public.applications import (
    ApplicationPublic,
    ApplicationSummaryPublic,
    PrefillPublic,
    ReviewAnswerPublic,
    SupplementAnswerPublic,
)
from onematter_acceptance.entrypoints.schemas import ReviewIn, SubmissionIn, SupplementIn
from onematter_acceptance.service_layer import applicant, queries
from onematter_acceptance.service_layer.commands import (
    AnswerSupplement,
    ReviewApplication,
    SubmitApplication,
    WithdrawApplication,
)
from onematter_acceptance.service_layer.prefill import ReadPrefill
from onematter_acceptance.service_layer.prefill import prefill as known_for_applicant
from onematter_acceptance.service_layer.submission import submit_application

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/applications", tags=["applications"])


async def _detail(
    number: str, principal: CurrentPrincipal, *, uow: UowDep, calendar: CalendarDep
) -> ApplicationPublic:
    reading = await queries.application_detail(
        queries.ReadApplication(number, principal), uow, calendar=calendar
    )
    return ApplicationPublic.of_reading(reading)


@router.post(
    "",
    status_code=201,
    responses={
        200: {
            "model": ApplicationPublic,
            "description": "The same application again: the key was used before",
        },
        428: {"description": "No Idempotency-Key header"},
    },
)
async def submit(
    body: SubmissionIn,
    principal: CurrentPrincipal,
    uow: UowDep,
    collaborators: CollaboratorsDep,
    response: Response,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> ApplicationPublic:
    """201 with the new application; 200 with the same one when the Idempotency-Key is replayed."""
    if not idempotency_key:
        raise PreconditionRequiredError(
            "Send an Idempotency-Key header, so a retried submission is not doubled."
        )
    if len(idempotency_key) > 128:
        raise ValidationProblem(errors=[{"field": "Idempotency-Key", "message": "at most 128 characters"}])
    command = SubmitApplication(caller=principal, idempotency_key=idempotency_key, **body.model_dump())
    calendar = collaborators.calendar
    submitted = await submit_application(
        command, uow, materials=collaborators.materials, calendar=calendar, catalog=collaborators.catalog
    )
    if not submitted.created:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = f"/api/v1/applications/{submitted.acceptance_number}"
    return await _detail(submitted.acceptance_number, principal, uow=uow, calendar=calendar)


@router.get("")
async def list_applications(
    principal: CurrentPrincipal,
    uow: UowDep,
    limit: Limit = 20,
    offset: Offset = 0,
    status: str | None = None,
    matter_code: str | None = None,
) -> Page[ApplicationSummaryPublic]:
    """Applicant: own; clerk: submitted by them; officer: with a task of their department; supervisor: all."""
    query = queries.ListApplications(
        principal=principal, limit=limit, offset=offset, status=status, matter_code=matter_code
    )
    found, total = await queries.list_applications(query, uow)
    items = [ApplicationSummaryPublic.of(a) for a in found]
    return Page[ApplicationSummaryPublic](items=items, total=total, limit=limit, offset=offset)


@router.get("/prefill")
async def prefill(
    matter_code: str,
    principal: CurrentPrincipal,
    uow: UowDep,
    collaborators: CollaboratorsDep,
    on_behalf_of: str | None = None,
) -> PrefillPublic:
    """Known form values and which materials are already covered (licence held or earlier material)."""
    query = ReadPrefill(matter_code=matter_code, caller=principal, on_behalf_of=on_behalf_of)
    known = await known_for_applicant(
        query, uow, materials=collaborators.materials, catalog=collaborators.catalog
    )
    return PrefillPublic.of(known)


@router.get("/{number}")
async def read(
    number: str, principal: CurrentPrincipal, uow: UowDep, calendar: CalendarDep
) -> ApplicationPublic:
    return await _detail(number, principal, uow=uow, calendar=calendar)


@router.post("/{number}/supplements")
async def supplement(
    number: str, body: SupplementIn, principal: CurrentPrincipal, uow: UowDep, collaborators: CollaboratorsDep
) -> SupplementAnswerPublic:
    command = AnswerSupplement(number=number, caller=principal, materials=body.materials)
    calendar = collaborators.calendar
    resumed = await applicant.answer_supplement(
        command, uow, materials=collaborators.materials, calendar=calendar
    )
    detail = await _detail(number, principal, uow=uow, calendar=calendar)
    return SupplementAnswerPublic(**dict(detail), resumed_task_ids=[r.task_id for r in resumed])


@router.post("/{number}/withdraw")
async def withdraw(
    number: str, principal: CurrentPrincipal, uow: UowDep, calendar: CalendarDep
) -> ApplicationPublic:
    await applicant.withdraw_application(WithdrawApplication(number=number, caller=principal), uow)
    return await _detail(number, principal, uow=uow, calendar=calendar)


@router.post("/{number}/review", status_code=201)
async def review(
    number: str, body: ReviewIn, principal: CurrentPrincipal, uow: UowDep, calendar: CalendarDep
) -> ReviewAnswerPublic:
    command = ReviewApplication(number=number, caller=principal, level=body.level, comment=body.comment)
    saved, rectification = await applicant.review_application(command, uow, calendar=calendar)
    return ReviewAnswerPublic.of(number, review=saved, rectification=rectification)
