from datetime import UTC, date, datetime

import pytest
from onematter_events import EVENT_CATALOGUE, CloudEvent, MalformedEvent, new_event, parse_payload, topic_for
from onematter_events.applications import TASK_ASSIGNED, ApplicationWithdrawn, TaskAssigned
from onematter_events.materials import MATERIAL_UPLOADED, MaterialUploaded


def _task(department: str = "mps") -> TaskAssigned:
    return TaskAssigned(
        task_id="t1",
        application_id="a1",
        acceptance_number="YJS-20261128-000001",
        matter_code="newborn-birth",
        item_code="mps-birth-registration",
        item_name_zh="出生登记",
        department=department,
        applicant_id="zhangsan",
        deadline=date(2026, 12, 1),
        form={},
        materials=[],
    )


def test_task_events_go_to_their_departments_topic_keyed_by_application():
    event = new_event(TASK_ASSIGNED, _task("nhsa"))
    assert topic_for(event, "p.") == ("p.onematter.tasks.nhsa", "a1")


def test_an_event_must_carry_its_types_payload_model():
    upload = MaterialUploaded(
        material_id="m",
        owner_id="o",
        material_type="photo",
        sha256="0" * 64,
        size=1,
        media_type="image/png",
        uploaded_at=datetime.now(UTC),
    )
    with pytest.raises(TypeError):
        new_event(TASK_ASSIGNED, upload)
    assert new_event(MATERIAL_UPLOADED, upload).subject == "o"


def test_an_event_survives_the_wire_unchanged():
    event = new_event(TASK_ASSIGNED, _task())
    again = CloudEvent.from_bytes(event.to_bytes())
    assert again == event and parse_payload(again) == _task()


@pytest.mark.parametrize("raw", [b"", b"not json", b'{"type": "x"}', b"[]"])
def test_bytes_that_are_not_a_cloudevent_are_malformed(raw):
    with pytest.raises(MalformedEvent):
        CloudEvent.from_bytes(raw)


def test_every_catalogued_type_is_namespaced_and_has_a_key_field_in_its_payload():
    for event_type, spec in EVENT_CATALOGUE.items():
        assert event_type.startswith("gov.onematter.")
        assert spec.key_field in spec.payload.model_fields, event_type
        if spec.per_department:
            assert "department" in spec.payload.model_fields, event_type


def test_payloads_ignore_fields_added_by_newer_producers():
    data = {
        "application_id": "a",
        "acceptance_number": "n",
        "applicant_id": "z",
        "cancelled_task_ids": [],
        "withdrawn_at": "2026-11-28T10:00:00Z",
        "added_later": 1,
    }
    assert ApplicationWithdrawn.model_validate(data).application_id == "a"
