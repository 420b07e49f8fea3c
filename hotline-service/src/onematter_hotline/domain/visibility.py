"""Who may read a request, and how much of the caller they see (personal data protected, issue 24).

* the hotline's seats and the supervisor: everything;
* an officer: the requests dispatched to their office, with the caller masked (张*, 138****5678);
* a caller: their own request, or one theirs was merged into (并单);
* anyone else: nothing (the API answers 404, so existence is not revealed).
"""

from __future__ import annotations

from onematter_hotline.domain.model import HotlineRequest

__all__ = ["view_for"]


def view_for(
    request: HotlineRequest, *, staff: bool, office: str | None, subject: str
) -> HotlineRequest | None:
    """The request as this reader sees it, or None when they may not see it."""
    if staff:
        return request
    if office is not None and request.office == office:
        return request.model_copy(update={"caller": request.caller.masked()})
    if subject in request.recipients():
        return request
    return None
