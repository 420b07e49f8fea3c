"""The AsyncAPI document is the event contract: every catalogued type, matching the code."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from onematter_events import EVENT_CATALOGUE, Stream
from onematter_events.asyncapi import build_asyncapi, main, render
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "asyncapi.json"
_BASE = "urn:onematter:asyncapi"


def _validator_for(document: dict, event_type: str) -> jsonschema.Draft202012Validator:
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry = Registry().with_resource(_BASE, resource)
    schema = {"$ref": f"{_BASE}#/components/messages/{event_type}/payload"}
    return jsonschema.Draft202012Validator(schema, registry=registry)


def test_the_committed_document_matches_the_code() -> None:
    assert COMMITTED.exists(), "docs/asyncapi.json is missing: run python -m onematter_events.asyncapi"
    assert COMMITTED.read_text(encoding="utf-8") == render(), (
        "docs/asyncapi.json drifted from the event catalogue; regenerate it with "
        "`python -m onematter_events.asyncapi > docs/asyncapi.json` and commit it"
    )


def test_every_catalogued_event_type_has_a_message_with_a_payload_schema() -> None:
    document = build_asyncapi()
    messages, schemas = document["components"]["messages"], document["components"]["schemas"]
    assert set(messages) == set(EVENT_CATALOGUE)
    for event_type, spec in EVENT_CATALOGUE.items():
        data_ref = messages[event_type]["payload"]["allOf"][1]["properties"]["data"]["$ref"]
        assert data_ref == f"#/components/schemas/{spec.payload.__name__}"
        assert schemas[spec.payload.__name__]["type"] == "object"


def test_each_message_sits_on_the_channel_of_its_topic() -> None:
    document = build_asyncapi()
    addresses = {name: channel["address"] for name, channel in document["channels"].items()}
    for event_type, spec in EVENT_CATALOGUE.items():
        channel = "tasks" if spec.stream is None else spec.stream.name
        assert event_type in document["channels"][channel]["messages"]
        expected = "onematter.tasks.{department}" if spec.stream is None else spec.stream.value
        assert addresses[channel] == expected
    assert set(addresses.values()) <= {stream.value for stream in Stream} | {"onematter.tasks.{department}"}


def test_every_example_validates_against_its_own_message_schema() -> None:
    document = build_asyncapi()
    for event_type, message in document["components"]["messages"].items():
        for example in message["examples"]:
            _validator_for(document, event_type).validate(example["payload"])


def test_an_example_of_another_type_is_rejected_by_the_schema() -> None:
    document = build_asyncapi()
    messages = document["components"]["messages"]
    accepted = messages["gov.onematter.application.accepted"]["examples"][0]["payload"]
    with pytest.raises(jsonschema.ValidationError):
        _validator_for(document, "gov.onematter.task.assigned").validate(accepted)


def test_every_send_operation_references_messages_of_its_own_channel() -> None:
    document = build_asyncapi()
    sent = set()
    for operation in document["operations"].values():
        assert operation["action"] == "send"
        channel = operation["channel"]["$ref"]
        for ref in operation["messages"]:
            assert ref["$ref"].startswith(channel + "/messages/")
            sent.add(ref["$ref"].rsplit("/", 1)[1])
    assert sent == set(EVENT_CATALOGUE)


def test_the_document_is_deterministic_json() -> None:
    assert json.loads(render()) == build_asyncapi() == build_asyncapi()


def test_the_check_option_fails_on_a_stale_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "asyncapi.json"
    renamed = render().replace("gov.onematter.task.assigned", "gov.onematter.task.handed-out")
    stale.write_text(renamed, "utf-8")
    assert main(["--check", str(stale)]) == 1
    assert "python -m onematter_events.asyncapi" in capsys.readouterr().err
    stale.write_text(render(), "utf-8")
    assert main(["--check", str(stale)]) == 0


def test_every_server_requires_a_scram_login_and_every_channel_names_its_writer() -> None:
    document = build_asyncapi()
    scheme = document["components"]["securitySchemes"]["scram"]

    assert scheme["type"] == "scramSha512"
    for server in document["servers"].values():
        assert server["security"] == [{"$ref": "#/components/securitySchemes/scram"}]
    owners = {name: channel["x-onematter-owner"] for name, channel in document["channels"].items()}
    assert owners == {
        "catalog": "matter-catalog",
        "applications": "acceptance",
        "materials": "material",
        "notifications": "notification",
        "hotline": "hotline",
        "tasks": "acceptance",
    }
    assert "the department {department}" in document["channels"]["tasks"]["x-onematter-readers"]
