"""What can be checked of the docker compose deployment without a Docker engine."""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from onematter_events import EVENT_CATALOGUE, Stream

DEPLOY = Path(__file__).resolve().parents[1]
ROOT = DEPLOY.parent
COMPOSE = DEPLOY / "compose.yaml"
DOCKERFILE = DEPLOY / "Dockerfile"
GATEWAY = "gateway"
#: compose service → (Settings class, variables it must be given, beyond the common ones).
SETTINGS: dict[str, tuple[str, set[str]]] = {
    "matter-catalog-service": ("onematter_catalog.config:CatalogSettings", set()),
    "acceptance-service": ("onematter_acceptance.config:AcceptanceSettings", {"MATERIAL_URL"}),
    "material-service": (
        "onematter_material.config:MaterialSettings",
        {"MATERIAL_STORAGE_DIR", "ACCEPTANCE_URL"},
    ),
    "notification-service": (
        "onematter_notification.config:NotificationSettings",
        {"SMTP_HOST", "SMTP_PORT", "SMTP_FROM"},
    ),
    "hotline-service": ("onematter_hotline.config:HotlineSettings", set()),
    GATEWAY: (
        "onematter_gateway.config:GatewaySettings",
        {
            "CATALOG_URL",
            "ACCEPTANCE_URL",
            "MATERIAL_URL",
            "NOTIFICATION_URL",
            "HOTLINE_URL",
            "DEV_IDENTITY_PROVIDER",
            "JWT_ISSUER",
            "JWKS_URL",
            "METRICS_TOKEN",
        },
    ),
}
COMMON = {"ENVIRONMENT", "SERVICE_NAME", "INTERNAL_TOKEN_SECRET"}
BACKEND = {"DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_TOPIC_PREFIX", "RUN_WORKERS"}
#: Read by deploy/entrypoint.py itself, not by the service's settings.
ENTRYPOINT_ONLY = {"DATABASE_PASSWORD"}


@pytest.fixture(scope="module")
def env_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gen_env import main

    path = tmp_path_factory.mktemp("deploy") / ".env"
    main(["gen_env.py", str(path)])
    return path


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def fill(node: Any, values: dict[str, str]) -> Any:
    """``${VAR…}`` filled from ``values`` as compose does (``$$`` is a literal ``$``)."""
    pattern = re.compile(r"\$\{([A-Z_]+)(?::?[-?]([^}]*))?\}")
    if isinstance(node, dict):
        return {key: fill(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [fill(value, values) for value in node]
    if isinstance(node, str):
        return pattern.sub(lambda m: values.get(m.group(1)) or (m.group(2) or ""), node).replace("$$", "$")
    return node


def read_env(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if re.match(r"^[A-Z_]+=", line))


@pytest.fixture(scope="module")
def resolved(env_file: Path, compose: dict[str, Any]) -> dict[str, Any]:
    return fill(compose, read_env(env_file))


def _services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]


def _one_shot(service: dict[str, Any]) -> bool:
    return service.get("labels", {}).get("onematter.one-shot") == "true"


def _compose_config(env_file: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``docker-compose config`` validates the file against the compose schema, with no daemon."""
    return subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "--env-file", str(env_file), "config", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_compose_file_validates_with_docker_compose_when_it_is_installed(env_file: Path) -> None:
    if shutil.which("docker-compose") is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose); the other checks run")
    result = _compose_config(env_file, "-q")
    assert result.returncode == 0, result.stderr


def test_a_missing_env_file_is_a_clear_error_not_a_half_configured_stack(tmp_path: Path) -> None:
    if shutil.which("docker-compose") is None:
        pytest.skip("docker-compose is not installed")
    empty = tmp_path / "empty.env"
    empty.write_text("")
    result = _compose_config(empty, "-q")
    assert result.returncode != 0
    assert "gen_env.py" in result.stderr


def test_every_variable_the_compose_file_needs_is_generated_into_the_env_file(env_file: Path) -> None:
    # ``$${X}`` is for the container's shell; ``${X:-default}`` may stay unset.
    found = re.findall(r"(?<!\$)\$\{([A-Z_]+)(:-|:\?|\})", COMPOSE.read_text(encoding="utf-8"))
    used = {name for name, operator in found if operator != ":-"}
    assert "KAFKA_CLUSTER_ID" in used
    assert used - set(read_env(env_file)) == set()


def test_every_long_running_container_has_a_health_check_and_a_restart_policy(compose: dict) -> None:
    for name, service in _services(compose).items():
        assert service.get("restart") in {"unless-stopped", "always", "on-failure"}, name
        if _one_shot(service):
            assert service["healthcheck"] == {"disable": True}, name
            continue
        test = service.get("healthcheck", {}).get("test")
        assert test and test[0] in {"CMD", "CMD-SHELL"}, f"{name} has no health check"


def test_only_the_gateway_and_the_tls_proxy_publish_a_port_and_on_loopback_by_default(compose: dict) -> None:
    publishing = {
        name: service["ports"] for name, service in _services(compose).items() if service.get("ports")
    }
    assert publishing == {
        GATEWAY: ["${GATEWAY_BIND:-127.0.0.1}:${GATEWAY_PORT:-8000}:8000"],
        "proxy": ["${HTTPS_BIND:-127.0.0.1}:${HTTPS_PORT:-8443}:8443"],
    }


def test_services_wait_for_healthy_dependencies(compose: dict[str, Any]) -> None:
    services = _services(compose)
    for name, service in services.items():
        for dependency, condition in service.get("depends_on", {}).items():
            one_shot = _one_shot(services[dependency])
            expected = "service_completed_successfully" if one_shot else "service_healthy"
            assert condition == {"condition": expected}, f"{name} → {dependency}"
    for name in set(SETTINGS) - {GATEWAY}:
        assert {"postgres", "kafka", "kafka-init"} <= set(services[name]["depends_on"]), name
    assert set(services[GATEWAY]["depends_on"]) == set(SETTINGS) - {GATEWAY}
    assert set(services["proxy"]["depends_on"]) == {GATEWAY}


def _settings_class(name: str) -> type:
    module, _, attribute = SETTINGS[name][0].partition(":")
    return getattr(importlib.import_module(module), attribute)


def container_environment(name: str, resolved: dict[str, Any], env_file: Path) -> dict[str, str]:
    """The service's environment after deploy/entrypoint.py read its secret files (from SECRETS_DIR)."""
    from entrypoint import secrets_from_files

    environment = {k: str(v) for k, v in _services(resolved)[name]["environment"].items()}
    for key, value in list(environment.items()):
        if key.endswith("_FILE"):  # /run/secrets/<name> is the file the compose secret <name> names
            environment[key] = resolved["secrets"][Path(value).name]["file"]
    secrets_from_files(environment)
    return environment


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_each_service_gets_every_variable_its_settings_need(
    name: str, resolved: dict[str, Any], env_file: Path
) -> None:
    environment = container_environment(name, resolved, env_file)
    required = COMMON | SETTINGS[name][1] | (set() if name == GATEWAY else BACKEND)
    assert required - set(environment) == set()
    fields = {field.upper() for field in _settings_class(name).model_fields}
    unknown = set(environment) - fields - ENTRYPOINT_ONLY
    assert unknown == set(), f"{name} sets variables no setting reads: {unknown}"


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_each_service_builds_its_settings_from_the_compose_environment_and_its_secret_files(
    name: str, resolved: dict[str, Any], env_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = container_environment(name, resolved, env_file)
    environment.update(DEV_IDENTITY_PROVIDER="false", JWKS_URL="https://idp.example.gov.cn/certs")
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    settings = _settings_class(name)()  # production: refuses short or default secrets
    assert settings.environment == "production"
    secret = (Path(read_env(env_file)["SECRETS_DIR"]) / "internal_token_secret").read_text().strip()
    assert settings.internal_token_secret == secret and len(secret) >= 32
    if name != GATEWAY:
        assert settings.database_url.startswith("postgresql+asyncpg://")
        assert settings.database_url.rsplit("/", 1)[1] in {
            "catalog",
            "acceptance",
            "material",
            "notification",
            "hotline",
        }


def test_each_backend_reaches_only_its_own_database_with_its_own_user_and_secret(resolved: dict) -> None:
    services = _services(resolved)
    for name in set(SETTINGS) - {GATEWAY}:
        url = services[name]["environment"]["DATABASE_URL"]
        match = re.match(r"postgresql\+asyncpg://(\w+)@postgres:5432/(\w+)$", url)
        assert match and match.group(1) == match.group(2), f"{name}: {url} (no password in the URL)"
        database = match.group(1)
        assert (
            services[name]["environment"]["DATABASE_PASSWORD_FILE"] == f"/run/secrets/{database}_db_password"
        )
        assert [s for s in services[name]["secrets"] if s.endswith("_db_password")] == [
            f"{database}_db_password"
        ]
    script = (DEPLOY / "postgres" / "init-databases.sh").read_text()
    assert "REVOKE ALL ON DATABASE" in script and "FROM PUBLIC" in script


def test_every_stream_topic_is_created_before_the_services_start(compose: dict[str, Any]) -> None:
    from onematter_devtools.compose_init import stream_topics

    init = _services(compose)["kafka-init"]
    assert init["entrypoint"] == ["python", "-m", "onematter_devtools.compose_init"]
    assert init["build"]["args"]["PACKAGE"] == "onematter-devtools"
    assert init["command"][init["command"].index("--partitions") + 1] == "${KAFKA_PARTITIONS:-6}"
    created = set(stream_topics())
    assert created == {stream.value for stream in Stream}
    assert {spec.stream.value for spec in EVENT_CATALOGUE.values() if spec.stream} <= created
    assert _services(compose)["kafka"]["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"


def test_kafka_is_a_single_node_kraft_broker_with_a_volume(compose: dict[str, Any]) -> None:
    kafka = _services(compose)["kafka"]
    assert re.fullmatch(r"\$\{KAFKA_IMAGE:-apache/kafka:3\.9\.\d+@sha256:[0-9a-f]{64}\}", kafka["image"])
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "kafka-data:/var/lib/kafka/data" in kafka["volumes"]
    assert kafka["environment"]["KAFKA_LOG_DIRS"] == "/var/lib/kafka/data"
    assert "postgres-data:/var/lib/postgresql/data" in _services(compose)["postgres"]["volumes"]
    assert set(compose["volumes"]) == {"postgres-data", "kafka-data", "materials"}


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_each_image_is_built_from_the_dockerfile_for_a_package_in_the_lock_file(
    name: str, compose: dict[str, Any]
) -> None:
    service = _services(compose)[name]
    build = service["build"]
    assert (build["context"], build["dockerfile"]) == ("..", "deploy/Dockerfile")
    package, app = build["args"]["PACKAGE"], build["args"]["APP"]
    members = {tomllib.loads(path.read_text())["project"]["name"] for path in ROOT.glob("*/pyproject.toml")}
    assert package in members, f"{package} is not a workspace package"
    assert f'name = "{package}"' in (ROOT / "uv.lock").read_text()
    module, _, factory = app.partition(":")
    assert callable(getattr(importlib.import_module(module), factory))
    assert "8000/readyz" in " ".join(service["healthcheck"]["test"])


def test_the_materials_volume_is_where_the_image_prepares_a_writable_directory(resolved: dict) -> None:
    material = _services(resolved)["material-service"]
    directory = material["environment"]["MATERIAL_STORAGE_DIR"]
    assert f"materials:{directory}" in material["volumes"]
    assert "chown -R onematter:onematter /var/lib/onematter" in DOCKERFILE.read_text()
    assert directory.startswith("/var/lib/onematter/")


def test_kafka_takes_only_scram_logins_and_each_service_logs_in_as_its_own_principal(
    compose: dict[str, Any],
) -> None:
    services = _services(compose)
    kafka = services["kafka"]["environment"]
    assert kafka["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] == "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT"
    assert kafka["KAFKA_LISTENER_NAME_CLIENT_SASL_ENABLED_MECHANISMS"] == "SCRAM-SHA-512"
    assert kafka["KAFKA_AUTHORIZER_CLASS_NAME"] == "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
    assert kafka["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    assert kafka["KAFKA_SUPER_USERS"] == "User:admin"
    assert services["kafka"]["secrets"] == ["kafka_admin_password"]
    assert compose["secrets"]["kafka_admin_password"]["file"].endswith("/kafka/admin")
    for name in set(SETTINGS) - {GATEWAY}:
        environment = {**compose["x-service-env"], **services[name]["environment"]}
        assert "KAFKA_ALLOW_UNAUTHENTICATED" not in environment, name
        assert environment["KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT", name
        user = f"svc-{environment['SERVICE_NAME']}"
        assert environment["KAFKA_USERNAME"] == user, name
        secret = Path(environment["KAFKA_PASSWORD_FILE"]).name
        assert compose["secrets"][secret]["file"] == f"${{SECRETS_DIR:-./secrets}}/kafka/{user}", name
    assert "KAFKA_USERNAME" not in services[GATEWAY]["environment"]  # the gateway has no Kafka client
