"""Guard tests that catch drift across services (no infrastructure needed).

* every catalogued event type has a producer that emits it and at least one consumer inside the platform;
* the topic-ownership table (behind the broker's ACLs) lists exactly the topics each service consumes;
* every service has the same inside;
* no service imports another service.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from onematter_events import EVENT_CATALOGUE, TOPIC_OWNERSHIP, ownership_of, task_topic_pattern
from onematter_events.notifications import NOTIFICATION_DELIVERED, NOTIFICATION_FAILED

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {
    "matter-catalog": ("matter-catalog-service", "onematter_catalog", "CatalogSettings"),
    "acceptance": ("acceptance-service", "onematter_acceptance", "AcceptanceSettings"),
    "material": ("material-service", "onematter_material", "MaterialSettings"),
    "notification": ("notification-service", "onematter_notification", "NotificationSettings"),
    "hotline": ("hotline-service", "onematter_hotline", "HotlineSettings"),
}
#: Delivery outcomes are for operators' monitoring and the departments' own systems, not for a service.
CONSUMED_OUTSIDE_ONLY = {NOTIFICATION_DELIVERED, NOTIFICATION_FAILED}


def _source(service: str) -> str:
    folder, package, _ = SERVICES[service]
    return "\n".join(
        p.read_text() for p in (ROOT / folder / "src" / package).rglob("*.py") if "migrations" not in p.parts
    )


def _runtimes(tmp_path: Path) -> dict[str, object]:
    built = {}
    for service, (_, package, settings_class) in SERVICES.items():
        config = importlib.import_module(f"{package}.config")
        app_module = importlib.import_module(f"{package}.entrypoints.app")
        settings = getattr(config, settings_class)(
            database_url=f"sqlite+aiosqlite:///{tmp_path}/{service}.db",
            kafka_enabled=False,
            run_workers=False,
        )
        built[service] = app_module.create_app(settings).state.runtime
    return built


def _consumed_types(tmp_path: Path) -> dict[str, set[str]]:
    return {
        service: {t for spec in runtime.consumers for t in spec.handlers}
        for service, runtime in _runtimes(tmp_path).items()
    }


def test_every_event_type_has_a_producer_that_emits_it():
    module_constants = {}
    for event_type, spec in EVENT_CATALOGUE.items():
        source = _source(spec.producer)
        names = [
            n for n, v in vars(importlib.import_module(spec.payload.__module__)).items() if v == event_type
        ]
        module_constants[event_type] = names
        assert any(re.search(rf"\b{n}\b", source) for n in names) or event_type in source, (
            f"{event_type} is catalogued as produced by {spec.producer}, which never emits it"
        )


def test_every_event_type_has_a_consumer_inside_the_platform(tmp_path):
    consumed = _consumed_types(tmp_path)
    everything = set().union(*consumed.values())
    missing = set(EVENT_CATALOGUE) - everything - CONSUMED_OUTSIDE_ONLY
    assert not missing, f"no service consumes {sorted(missing)}"


def test_consumers_only_handle_catalogued_types(tmp_path):
    for service, types in _consumed_types(tmp_path).items():
        assert types <= set(EVENT_CATALOGUE), f"{service} handles uncatalogued {types - set(EVENT_CATALOGUE)}"


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_service_has_the_same_inside(service):
    folder, package, _ = SERVICES[service]
    base = ROOT / folder / "src" / package
    for part in ("domain", "service_layer", "adapters", "entrypoints", "migrations", "config.py"):
        assert (base / part).exists(), f"{service} lacks {part}"
    assert (ROOT / folder / "tests").is_dir()


@pytest.mark.parametrize("service", [*sorted(SERVICES), "gateway"])
def test_no_service_imports_another_service(service):
    packages = {p for _, p, _ in SERVICES.values()} | {"onematter_gateway"}
    own = SERVICES[service][1] if service in SERVICES else "onematter_gateway"
    # Production code only: a guard test may build several services' apps in one process on purpose.
    folder = ROOT / (SERVICES[service][0] if service in SERVICES else "gateway") / "src"
    for path in folder.rglob("*.py"):
        text = path.read_text()
        for other in packages - {own}:
            assert not re.search(rf"^\s*(from|import)\s+{other}\b", text, re.M), f"{path} imports {other}"


def test_the_topic_ownership_table_lists_exactly_what_each_service_consumes(tmp_path):
    # The broker grants READ from the table: a consumer it does not list would be refused by Kafka,
    # a listed one that no longer consumes would keep a right it does not need.
    readers: dict[object, set[str]] = {entry.stream: set() for entry in TOPIC_OWNERSHIP}
    for service, runtime in _runtimes(tmp_path).items():
        for spec in runtime.consumers:
            if spec.pattern is not None:
                assert spec.pattern == task_topic_pattern(), f"{service} subscribes to {spec.pattern}"
                readers[None].add(service)
            for topic in spec.topics:
                readers[ownership_of(topic).stream].add(service)
    assert readers == {entry.stream: set(entry.consumers) for entry in TOPIC_OWNERSHIP}
