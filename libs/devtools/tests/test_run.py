"""`make run`'s options: the fixed ports of the README, or free ones for a second run next to it."""

from __future__ import annotations

from onematter_devtools.launcher import SERVICES
from onematter_devtools.run import _options, _ports

#: The addresses README.md and docs/development.md promise.
DOCUMENTED = {"kafka": 9092, "smtp": 1025, "mail": 1080, "gateway": 8000}


def test_by_default_the_run_listens_where_the_docs_say_and_keeps_its_data_in_data() -> None:
    ports = _ports(free=False)

    assert {name: ports[name] for name in DOCUMENTED} == DOCUMENTED
    assert _options([]).data == "data" and not _options([]).free_ports


def test_free_ports_are_distinct_and_cover_every_service_kafka_and_the_mail_sink() -> None:
    ports = _ports(free=True)

    assert set(ports) >= {s.name for s in SERVICES} | {"kafka", "controller", "smtp", "mail"}
    assert len(set(ports.values())) == len(ports)
    assert _options(["--data", "/tmp/x", "--free-ports"]).free_ports
