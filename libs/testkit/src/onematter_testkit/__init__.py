"""Test helpers every OneMatter test suite shares: the real-infrastructure fixtures, identity helpers,
random builders, Kafka readers and writers, and (``onematter_testkit.applicant``) an applicant's steps
through the public API. Loaded as a pytest plugin by the root configuration."""

from onematter_testkit.builders import random_code, random_id
from onematter_testkit.fakes import FakeUnitOfWork
from onematter_testkit.identity import internal_headers, make_principal
from onematter_testkit.kafka import (
    kafka_options,
    kafka_settings,
    publish_event,
    publish_events,
    read_events,
    wait_for,
)

__all__ = [
    "FakeUnitOfWork",
    "internal_headers",
    "kafka_options",
    "kafka_settings",
    "make_principal",
    "publish_event",
    "publish_events",
    "random_code",
    "random_id",
    "read_events",
    "wait_for",
]
