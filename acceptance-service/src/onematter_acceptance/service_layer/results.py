"""办理结果 on approval: find the item's declared result and check the officer's decision against it.

The declaration comes from the matter version the application pinned (the local copy of the catalog), so a
catalog change never alters what an accepted application's approval issues. Refusals become problem+json:
a licence type the item does not issue is 403, a number or validity its rule does not allow 422.
"""

from __future__ import annotations

from onematter_events.matters import ItemResult, PublishedItem
from onematter_kit.errors import ForbiddenError, ValidationProblem

from onematter_acceptance.domain.application import Application
from onematter_acceptance.domain.results import (
    AskedLicence,
    LicenceNotAllowed,
    LicenceNotDeclared,
    LicenceOnApproval,
    licence_on_approval,
)
from onematter_acceptance.domain.task import Task
from onematter_acceptance.service_layer.commands import DecideTask
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["approval_licence", "declared_result"]


def declared_result(item: PublishedItem | None, task: Task) -> ItemResult | None:
    """The item's result; an older payload names only ``issues_licence`` (default rules)."""
    if item is not None and item.result is not None:
        return item.result
    licence_type = item.issues_licence if item is not None else task.issues_licence
    return ItemResult.default_for(licence_type) if licence_type else None


async def approval_licence(
    cmd: DecideTask, task: Task, application: Application, uow: AcceptanceUnitOfWork
) -> LicenceOnApproval | None:
    """The licence this decision issues (None: none); raises 403/422 problems before anything changes."""
    matter = await uow.matters.version(application.matter_code, application.matter_version)
    item = next((i for i in matter.items if i.code == task.item_code), None) if matter else None
    asked = AskedLicence(
        licence_type=cmd.licence_type, licence_number=cmd.licence_number, valid_until=cmd.licence_valid_until
    )
    try:
        return licence_on_approval(
            declared_result(item, task),
            asked,
            approved=cmd.outcome == "approved",
            issued_on=uow.clock.today(),
            form=task.form,
        )
    except LicenceNotDeclared as exc:
        raise ForbiddenError(str(exc)) from None
    except LicenceNotAllowed as exc:
        raise ValidationProblem(str(exc), errors=[{"field": exc.field, "message": str(exc)}]) from None
