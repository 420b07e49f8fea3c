"""Fast checks of the infrastructure helpers; none of them starts Kafka or PostgreSQL."""

import socket
from pathlib import Path

from onematter_devtools.kafka import KafkaBroker
from onematter_devtools.launcher import System, free_port
from onematter_devtools.postgres import find_bindir
from onematter_devtools.run import department_codes


def _properties(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))


def test_broker_runs_kraft_combined_without_topic_auto_creation(tmp_path: Path) -> None:
    props = _properties(KafkaBroker(data_dir=tmp_path, port=1234, controller_port=1235).server_properties())

    assert props["process.roles"] == "broker,controller"
    assert props["auto.create.topics.enable"] == "false"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:1235"
    assert props["advertised.listeners"] == "PLAINTEXT://127.0.0.1:1234"
    assert props["log.dirs"].startswith(str(tmp_path.resolve()))


def test_postgres_binaries_are_found() -> None:
    assert (find_bindir(install=False) / "postgres").is_file()


def test_free_port_can_be_bound() -> None:
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_gateway_is_told_where_every_service_listens(tmp_path: Path) -> None:
    system = System(kafka_bootstrap="127.0.0.1:1", data_dir=tmp_path, ports={"acceptance": 9102})
    env = system.env_for("gateway")

    assert env["ACCEPTANCE_URL"] == "http://127.0.0.1:9102"
    assert env["SERVICE_NAME"] == "gateway"
    assert len(env["INTERNAL_TOKEN_SECRET"]) == 48
    assert (
        system.env_for("material")["DATABASE_URL"] == f"sqlite+aiosqlite:///{tmp_path.resolve()}/material.db"
    )


def test_department_codes_come_from_the_seed_departments_section(tmp_path: Path) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "departments:\n  - {code: nhc, zh: 卫健委}\n  - {code: mps}\n\nmaterial_types:\n  - {code: x}\n"
    )

    assert department_codes(seed) == ["nhc", "mps"]
