"""好差评 follow-up: the rectifications a bad review opens, listed and closed by supervisors.

A rectification is closed once, with a note saying what was done; closing it again is a 409. The close
is recorded on the application's timeline, so the applicant's file shows the bad review was handled.
"""

from __future__ import annotations

from typing import Any

from onematter_kit.errors import ConflictError, NotFoundError
from onematter_kit.identity import Principal
from sqlalchemy import select

from onematter_acceptance.adapters.tables import Rectification
from onematter_acceptance.service_layer.collaborators import Collaborators

__all__ = ["OPEN", "close_rectification", "rectification_view"]

OPEN, CLOSED = "open", "closed"


def rectification_view(r: Rectification) -> dict[str, Any]:
    return {
        "id": r.id,
        "acceptance_number": r.acceptance_number,
        "department": r.department,
        "level": r.level,
        "comment": r.comment,
        "due": r.due.isoformat(),
        "status": r.status,
        "created_at": r.created_at.isoformat(),
        "closed_at": r.closed_at.isoformat() if r.closed_at else None,
        "closed_by": r.closed_by,
        "close_note": r.close_note,
    }


async def close_rectification(
    rectification_id: str, supervisor: Principal, *, note: str, deps: Collaborators
) -> dict[str, Any]:
    """Close an open rectification (404 if unknown, 409 if already closed); returns its view."""
    async with deps.uow() as uow:
        row = (
            await uow.session.execute(
                select(Rectification).where(Rectification.id == rectification_id).with_for_update()
            )
        ).scalar_one_or_none()
        if row is None:
            raise NotFoundError(f"No rectification {rectification_id}.")
        if row.status != OPEN:
            raise ConflictError("This rectification is already closed.")
        row.status, row.closed_at = CLOSED, deps.now()
        row.closed_by, row.close_note = supervisor.subject, note
        uow.record(
            row.application_id,
            actor=supervisor.subject,
            kind="rectification_closed",
            rectification_id=row.id,
            note=note,
        )
        view = rectification_view(row)
        await uow.commit()
        return view
