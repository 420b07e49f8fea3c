"""Events of delegations (委托, 帮办代办), produced by the acceptance service on ``onematter.applications``.

Key: the applicant id, so one applicant's delegation events stay in order.

``delegation.code-issued`` carries the one-time code in clear: it is meant for the applicant's own inbox
only. The notification service turns it into an inbox message and never forwards it to a webhook; the
acceptance service keeps only its hash.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from onematter_events.envelope import EventPayload

__all__ = [
    "DELEGATION_CODE_ISSUED",
    "DELEGATION_USED",
    "SECRET_BEARING",
    "SOURCE",
    "DelegationCodeIssued",
    "DelegationUsed",
]

SOURCE = "/onematter/acceptance"
DELEGATION_CODE_ISSUED = "gov.onematter.delegation.code-issued"
DELEGATION_USED = "gov.onematter.delegation.used"
#: Types whose payload holds a secret for one person: never fanned out to webhooks or copied elsewhere.
SECRET_BEARING = frozenset({DELEGATION_CODE_ISSUED})


class DelegationCodeIssued(EventPayload):
    """A clerk asked to act for the applicant; the applicant confirms by telling the clerk this code."""

    delegation_id: str
    applicant_id: str
    delegate_id: str
    matter_codes: list[str]
    actions: list[Literal["read", "submit"]]
    #: Six digits, valid until ``expires_at`` for a limited number of tries.
    code: str
    expires_at: datetime


class DelegationUsed(EventPayload):
    """Something done for the applicant under a delegation: for the applicant's access log.

    ``what``: ``prefill`` (form values, licences and earlier materials read), ``submit`` (an application
    submitted with the listed materials), ``answer`` (a supplement, 补正, handed in with them) or
    ``withdraw`` (the application using them withdrawn); ``material_ids`` are the applicant's materials
    concerned.
    """

    delegation_id: str
    applicant_id: str
    delegate_id: str
    what: Literal["prefill", "submit", "answer", "withdraw"]
    matter_code: str
    acceptance_number: str | None = None
    material_ids: list[str] = []  # noqa: RUF012 — pydantic copies field defaults
    used_at: datetime
