"""The topic-ownership table agrees with the event catalogue and names owners by topic."""

from onematter_events import (
    EVENT_CATALOGUE,
    SERVICE_SOURCES,
    TOPIC_OWNERSHIP,
    department_of,
    owner_source,
    ownership_of,
)
from onematter_events.ownership import SERVICES
from onematter_events.topics import Stream


def test_every_catalogued_event_is_published_by_the_owner_of_its_topic_under_the_owners_source() -> None:
    for spec in EVENT_CATALOGUE.values():
        entry = next(e for e in TOPIC_OWNERSHIP if e.stream == spec.stream)
        assert entry.owner == spec.producer, spec.type
        assert SERVICE_SOURCES[entry.owner] == spec.source, spec.type


def test_every_stream_and_the_task_topics_have_exactly_one_entry() -> None:
    assert sorted(str(e.stream) for e in TOPIC_OWNERSHIP) == sorted([*map(str, Stream), "None"])
    assert all(e.owner in SERVICES and set(e.consumers) <= set(SERVICES) for e in TOPIC_OWNERSHIP)


def test_a_topic_is_recognised_with_or_without_a_test_prefix() -> None:
    assert owner_source("onematter.tasks.mps") == "/onematter/acceptance"
    assert owner_source("t1a2b3c4.onematter.tasks.mps-x") == "/onematter/acceptance"
    assert owner_source("e2e01.onematter.catalog") == "/onematter/matter-catalog"
    assert owner_source("onematter.materials") == "/onematter/material"
    assert department_of("t1.onematter.tasks.mps-x") == "mps-x"
    assert department_of("onematter.applications") is None


def test_dead_letter_and_foreign_topics_have_no_owner() -> None:
    assert ownership_of("onematter.applications.dlq") is None
    assert ownership_of("onematter.tasks.mps.dlq") is None
    assert ownership_of("payments.onematter") is None
    assert owner_source("onematter.unknown") is None
