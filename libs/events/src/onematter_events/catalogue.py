"""The one event catalogue: every event type OneMatter emits, its payload model, its producer and its topic.

Producers build events with :func:`onematter_events.lookup.new_event`, which refuses a type that is not
here (the look-ups by type live in :mod:`onematter_events.lookup`); the AsyncAPI
document is generated from :data:`EVENT_CATALOGUE`, and guard tests check that every type has a producer
and at least one consumer.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from types import ModuleType

from onematter_events import applications as app_events
from onematter_events import deadlines as deadline_events
from onematter_events import delegations as delegation_events
from onematter_events import duedates as due_events
from onematter_events import hotline as hotline_events
from onematter_events import materials as material_events
from onematter_events import matters as matter_events
from onematter_events import notifications as notification_events
from onematter_events.envelope import EventPayload
from onematter_events.materials import LICENCE_CANCELLED, LICENCE_REVOKED
from onematter_events.topics import Stream

__all__ = ["EVENT_CATALOGUE", "EventSpec", "UnknownEventType"]


class UnknownEventType(KeyError):
    """An event type that the catalogue does not list."""


@dataclass(frozen=True, slots=True)
class EventSpec:
    type: str
    # ``builtins.type``: inside this class ``type`` is the field above.
    payload: builtins.type[EventPayload]
    source: str
    producer: str
    #: ``None`` means the department task topic named by the payload's ``department``.
    stream: Stream | None
    #: The payload field whose value is the Kafka key (ordering unit).
    key_field: str
    summary: str

    @property
    def per_department(self) -> bool:
        return self.stream is None


def _spec(
    module: ModuleType,
    type_: str,
    payload: type[EventPayload],
    *,
    producer: str,
    stream: Stream | None,
    key: str,
    summary: str,
) -> EventSpec:
    return EventSpec(type_, payload, str(module.SOURCE), producer, stream, key, summary)


_A, _T = Stream.applications, None
EVENT_CATALOGUE: dict[str, EventSpec] = {
    spec.type: spec
    for spec in [
        _spec(
            matter_events,
            matter_events.MATTER_PUBLISHED,
            matter_events.MatterPublished,
            producer="matter-catalog",
            stream=Stream.catalog,
            key="matter_code",
            summary="A key matter version was published; carries the whole version.",
        ),
        _spec(
            matter_events,
            matter_events.MATTER_RETIRED,
            matter_events.MatterRetired,
            producer="matter-catalog",
            stream=Stream.catalog,
            key="matter_code",
            summary="A key matter no longer takes new applications.",
        ),
        _spec(
            app_events,
            app_events.APPLICATION_ACCEPTED,
            app_events.ApplicationAccepted,
            producer="acceptance",
            stream=_A,
            key="application_id",
            summary="An application was accepted and got its acceptance number (一窗受理).",
        ),
        _spec(
            app_events,
            app_events.APPLICATION_SUPPLEMENT_REQUESTED,
            app_events.ApplicationSupplementRequested,
            producer="acceptance",
            stream=_A,
            key="application_id",
            summary="One merged supplement request (补正) to the applicant.",
        ),
        _spec(
            app_events,
            app_events.APPLICATION_SUPPLEMENT_RECEIVED,
            app_events.ApplicationSupplementReceived,
            producer="acceptance",
            stream=_A,
            key="application_id",
            summary="The applicant handed in the supplement; waiting tasks resume.",
        ),
        _spec(
            app_events,
            app_events.APPLICATION_COMPLETED,
            app_events.ApplicationCompleted,
            producer="acceptance",
            stream=_A,
            key="application_id",
            summary="Every task ended (办结); one result for the applicant.",
        ),
        _spec(
            app_events,
            app_events.APPLICATION_WITHDRAWN,
            app_events.ApplicationWithdrawn,
            producer="acceptance",
            stream=_A,
            key="application_id",
            summary="The applicant withdrew the application before completion.",
        ),
        _spec(
            app_events,
            app_events.REVIEW_SUBMITTED,
            app_events.ReviewSubmitted,
            producer="acceptance",
            stream=_A,
            key="application_id",
            summary="The applicant reviewed the service (好差评); a bad review opens a rectification.",
        ),
        _spec(
            app_events,
            app_events.TASK_ASSIGNED,
            app_events.TaskAssigned,
            producer="acceptance",
            stream=_T,
            key="application_id",
            summary="A task for one service item, sent to its department (并联办理).",
        ),
        _spec(
            app_events,
            app_events.TASK_COMPLETED,
            app_events.TaskCompleted,
            producer="acceptance",
            stream=_T,
            key="application_id",
            summary="A department approved or rejected its task.",
        ),
        _spec(
            app_events,
            app_events.TASK_SUPPLEMENT_REQUESTED,
            app_events.TaskSupplementRequested,
            producer="acceptance",
            stream=_T,
            key="application_id",
            summary="A department asked for a supplement; its task's clock pauses.",
        ),
        _spec(
            app_events,
            app_events.TASK_CANCELLED,
            app_events.TaskCancelled,
            producer="acceptance",
            stream=_T,
            key="application_id",
            summary="A task was cancelled (the application was withdrawn).",
        ),
        _spec(
            app_events,
            app_events.TASK_OVERDUE_WARNING,
            app_events.TaskOverdue,
            producer="acceptance",
            stream=_T,
            key="application_id",
            summary="A task is due within one working day.",
        ),
        _spec(
            app_events,
            app_events.TASK_OVERDUE,
            app_events.TaskOverdue,
            producer="acceptance",
            stream=_T,
            key="application_id",
            summary="A task passed its deadline (emitted once per task).",
        ),
        *(
            _spec(due_events, t, p, producer="acceptance", stream=_T, key="application_id", summary=s)
            for t, p, s in due_events.CATALOGUED
        ),
        _spec(
            deadline_events,
            deadline_events.APPLICATION_DEADLINE_CHANGED,
            deadline_events.ApplicationDeadlineChanged,
            producer="acceptance",
            stream=_A,
            key="application_id",
            summary="An official holiday notice moved the application's due date (old, new, the notice).",
        ),
        _spec(
            deadline_events,
            deadline_events.TASK_DEADLINE_CHANGED,
            deadline_events.TaskDeadlineChanged,
            producer="acceptance",
            stream=_T,
            key="application_id",
            summary="An official holiday notice moved a task's due date; to that task's department.",
        ),
        _spec(
            delegation_events,
            delegation_events.DELEGATION_CODE_ISSUED,
            delegation_events.DelegationCodeIssued,
            producer="acceptance",
            stream=_A,
            key="applicant_id",
            summary="A clerk asked to act for an applicant; a one-time code for the applicant's own inbox.",
        ),
        _spec(
            delegation_events,
            delegation_events.DELEGATION_USED,
            delegation_events.DelegationUsed,
            producer="acceptance",
            stream=_A,
            key="applicant_id",
            summary="A delegate read or submitted for the applicant (帮办代办); goes to their access log.",
        ),
        _spec(
            material_events,
            material_events.MATERIAL_UPLOADED,
            material_events.MaterialUploaded,
            producer="material",
            stream=Stream.materials,
            key="owner_id",
            summary="A material was uploaded to its owner's locker.",
        ),
        _spec(
            material_events,
            material_events.LICENCE_ISSUED,
            material_events.LicenceIssued,
            producer="material",
            stream=Stream.materials,
            key="holder_id",
            summary="An electronic licence (电子证照) was issued to its holder.",
        ),
        *(
            _spec(
                material_events,
                ended,
                material_events.LicenceEnded,
                producer="material",
                stream=Stream.materials,
                key="holder_id",
                summary=f"The issuing department {how} a licence, with its reason.",
            )
            for ended, how in ((LICENCE_REVOKED, "revoked (吊销)"), (LICENCE_CANCELLED, "cancelled (注销)"))
        ),
        _spec(
            notification_events,
            notification_events.NOTIFICATION_DELIVERED,
            notification_events.NotificationOutcome,
            producer="notification",
            stream=Stream.notifications,
            key="recipient",
            summary="A message reached its recipient's channel.",
        ),
        _spec(
            notification_events,
            notification_events.NOTIFICATION_FAILED,
            notification_events.NotificationOutcome,
            producer="notification",
            stream=Stream.notifications,
            key="recipient",
            summary="A message could not be delivered after every retry.",
        ),
        *(
            _spec(
                hotline_events, t, p, producer="hotline", stream=Stream.hotline, key="request_id", summary=s
            )
            for t, p, s in hotline_events.CATALOGUED
        ),
    ]
}
