"""Fast checks of the infrastructure helpers; none of them starts Kafka or PostgreSQL."""

import argparse
import socket
import stat
from pathlib import Path

import pytest
from onematter_devtools import infra
from onematter_devtools._process import InfraError
from onematter_devtools.credentials import CredentialStore
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
    assert props["advertised.listeners"] == "CLIENT://127.0.0.1:1234"
    assert props["log.dirs"].startswith(str(tmp_path.resolve()))


def test_broker_authenticates_every_listener_and_denies_what_no_acl_allows(tmp_path: Path) -> None:
    broker = KafkaBroker(data_dir=tmp_path, port=1234, controller_port=1235)
    props = _properties(broker.server_properties())

    assert props["listener.security.protocol.map"] == "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT"
    assert props["listener.name.client.sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
    assert props["authorizer.class.name"] == "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
    assert props["allow.everyone.if.no.acl.found"] == "false"
    assert props["super.users"] == "User:admin"
    assert (
        f'password="{broker.admin.password}"' in props["listener.name.client.scram-sha-512.sasl.jaas.config"]
    )


def test_generated_passwords_are_random_kept_private_and_reused(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "credentials")
    first, other = store.login("svc-acceptance"), store.login("dept-mps")

    assert store.login("svc-acceptance") == first
    assert len(first.password) >= 40 and first.password != other.password
    assert stat.S_IMODE(store.path("dept-mps").stat().st_mode) == 0o600
    assert stat.S_IMODE(store.folder.stat().st_mode) == 0o700
    assert first.password not in repr(first)


def test_a_service_gets_its_principal_through_its_kafka_settings(tmp_path: Path) -> None:
    login = CredentialStore(tmp_path).login("svc-material")
    system = System(kafka_bootstrap="127.0.0.1:1", data_dir=tmp_path, kafka_logins={"material": login})
    env = system.env_for("material")

    assert (env["KAFKA_SECURITY_PROTOCOL"], env["KAFKA_SASL_MECHANISM"]) == (
        "SASL_PLAINTEXT",
        "SCRAM-SHA-512",
    )
    assert (env["KAFKA_USERNAME"], env["KAFKA_PASSWORD"]) == ("svc-material", login.password)


def test_the_test_environment_holds_the_admin_password_as_a_file_reference(tmp_path: Path) -> None:
    args = argparse.Namespace(
        state_dir=str(tmp_path), kafka_port=1, kafka_controller_port=2, no_postgres=True
    )
    lines = infra._env_lines(args)
    password = (tmp_path / "kafka" / "credentials" / "admin").resolve()

    assert "export ONEMATTER_TEST_KAFKA_USERNAME=admin" in lines
    assert f'export ONEMATTER_TEST_KAFKA_PASSWORD="$(cat {password})"' in lines
    assert password.read_text().strip() not in lines


def test_postgres_binaries_are_found() -> None:
    assert (find_bindir(install=False) / "postgres").is_file()


def test_free_port_can_be_bound() -> None:
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_free_ports_handed_out_by_one_process_are_all_different() -> None:
    ports = [free_port() for _ in range(300)]
    assert len(set(ports)) == len(ports)


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


def test_a_broker_left_running_without_sasl_is_not_reused(tmp_path: Path) -> None:
    # What an older checkout's broker left behind: a plain listener and no admin credential.
    (tmp_path / "server.properties").write_text("listeners=PLAINTEXT://127.0.0.1:29092\n")
    broker = KafkaBroker(data_dir=tmp_path, port=29092)

    with pytest.raises(InfraError, match="without SASL/SCRAM"):
        broker._refuse_unauthenticated_reuse()


def test_make_test_stops_the_infra_at_the_ports_it_started_it_on() -> None:
    """``make test INFRA_ARGS="--pg-port Q"`` beside running test infra: without the same ports on ``down``,
    ``down`` stopped the PostgreSQL on the default port, which somebody else had started (seen 2026-12-01)."""
    makefile = (Path(__file__).parents[3] / "Makefile").read_text()
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    infra_calls = [line for line in recipe.splitlines() if "$(INFRA) up" in line or "$(INFRA) down" in line]

    assert len(infra_calls) == 2
    assert all("$(INFRA_ARGS)" in line for line in infra_calls)
