"""Due-date events of acceptance (acceptance-service): 补正 and 容缺 materials that are (nearly) overdue.

Both go to the task topic of the task's department (``onematter.tasks.<department>``), key the
application id, like the other task events; they carry ``applicant_id`` so the notification service can
tell the applicant. ``due_for`` says which due date: ``supplement`` (a department's 补正 request) or
``deferred`` (a material accepted as missing, 容缺受理).

Why an event of its own rather than ``task.completed`` with ``outcome=rejected``: an expiry is not a
department's decision (no officer, no licence, a consequence of 不予受理 / 终止 that is not 不予许可), and
``task.completed`` consumers (licences, digests) must not read it as one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from onematter_events.applications import SOURCE
from onematter_events.envelope import EventPayload
from onematter_events.matters import Consequence

__all__ = [
    "CATALOGUED",
    "SOURCE",
    "TASK_SUPPLEMENT_EXPIRED",
    "TASK_SUPPLEMENT_REMINDER",
    "DueKind",
    "TaskSupplementExpired",
    "TaskSupplementReminder",
]

TASK_SUPPLEMENT_REMINDER = "gov.onematter.task.supplement-reminder"
TASK_SUPPLEMENT_EXPIRED = "gov.onematter.task.supplement-expired"

DueKind = Literal["supplement", "deferred"]


class TaskSupplementReminder(EventPayload):
    """A 补正 or 容缺 material is due soon (by default a working day before ``due_on``); once per due."""

    task_id: str
    application_id: str
    acceptance_number: str
    applicant_id: str
    item_code: str
    department: str
    due_for: DueKind
    materials: list[str]
    #: The last day (China) on which the material may be handed in.
    due_on: date
    consequence: Consequence
    #: The item's legal basis for the consequence; empty: per the item (按事项规定).
    basis: str = ""


class TaskSupplementExpired(TaskSupplementReminder):
    """``due_on`` passed unanswered: the task ended with the item's ``consequence`` (its status is that
    consequence), and a paused clock was closed on ``due_on`` (the pause counts up to the due date only)."""

    reason: str
    ended_at: datetime


#: ``(type, payload model, summary)`` of these events, which ``onematter_events.catalogue`` lists.
CATALOGUED: list[tuple[str, type[EventPayload], str]] = [
    (
        TASK_SUPPLEMENT_REMINDER,
        TaskSupplementReminder,
        "A 补正 or 容缺 material is due soon (once per due date); the applicant is reminded.",
    ),
    (
        TASK_SUPPLEMENT_EXPIRED,
        TaskSupplementExpired,
        "A 补正 or 容缺 due date passed unanswered; the task ended as its item says (不予受理/终止).",
    ),
]
