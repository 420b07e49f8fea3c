"""Deadlines moved by an official holiday notice, produced by the acceptance service (issue 15).

When the operator loads the State Council's notice for a year (国务院办公厅关于XXXX年部分节假日安排的
通知), every open deadline it moves is recomputed once and announced:

* ``application.deadline-changed`` on ``onematter.applications`` (key: the application id) — for the
  applicant (the notification service tells them in words) and the platform;
* ``task.deadline-changed`` on the task topic of each department whose task's due date moved
  (``onematter.tasks.<department>``), like the other task events, so a department learns only of its own.

Both carry the old and the new due date (dates in China), the notice that caused the move and the
explanation of the move (calendar sources before and after, ``onematter_workdays.DeadlineMove.explain``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from onematter_events.envelope import EventPayload

__all__ = [
    "APPLICATION_DEADLINE_CHANGED",
    "SOURCE",
    "TASK_DEADLINE_CHANGED",
    "ApplicationDeadlineChanged",
    "MovedTask",
    "NoticeRef",
    "TaskDeadlineChanged",
]

SOURCE = "/onematter/acceptance"
APPLICATION_DEADLINE_CHANGED = "gov.onematter.application.deadline-changed"
TASK_DEADLINE_CHANGED = "gov.onematter.task.deadline-changed"


class NoticeRef(EventPayload):
    """The official notice that moved the deadline: its year, document number (文号) and version."""

    year: int
    document_number: str
    version: int


class MovedTask(EventPayload):
    """One task of the application whose due date moved."""

    task_id: str
    item_code: str
    department: str
    previous_deadline: date
    deadline: date


class ApplicationDeadlineChanged(EventPayload):
    """The application's due date (its latest task's) moved from ``previous_deadline`` to ``deadline``.

    ``deadline_provisional``: the new date still crosses a year that only the statutory rule describes.
    ``explanation``: the move of the task that decides the application's due date (``from``, ``to``,
    ``calendar_before``, ``calendar_after``, ...).
    """

    application_id: str
    acceptance_number: str
    applicant_id: str
    matter_code: str
    previous_deadline: date
    deadline: date
    deadline_provisional: bool
    notice: NoticeRef
    tasks: list[MovedTask] = Field(default_factory=list)
    explanation: dict[str, Any] = Field(default_factory=dict)
    changed_at: datetime


class TaskDeadlineChanged(EventPayload):
    """One department's task: its due date moved from ``previous_deadline`` to ``deadline``."""

    task_id: str
    application_id: str
    acceptance_number: str
    item_code: str
    department: str
    previous_deadline: date
    deadline: date
    deadline_provisional: bool
    notice: NoticeRef
    explanation: dict[str, Any] = Field(default_factory=dict)
    changed_at: datetime
