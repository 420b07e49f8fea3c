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
    GATEWAY: (
        "onematter_gateway.config:GatewaySettings",
        {
            "CATALOG_URL",
            "ACCEPTANCE_URL",
            "MATERIAL_URL",
            "NOTIFICATION_URL",
            "DEV_IDENTITY_PROVIDER",
            "JWT_ISSUER",
            "JWKS_URL",
        },
    ),
}
COMMON = {"ENVIRONMENT", "SERVICE_NAME", "INTERNAL_TOKEN_SECRET"}
BACKEND = {"DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_TOPIC_PREFIX", "RUN_WORKERS"}


@pytest.fixture(scope="module")
def env_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gen_env import ensure_env_file

    path = tmp_path_factory.mktemp("deploy") / ".env"
    ensure_env_file(path)
    return path


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def resolved(env_file: Path, compose: dict[str, Any]) -> dict[str, Any]:
    """The compose file with ``${VAR…}`` filled from a freshly generated ``.env`` (as compose does)."""
    lines = env_file.read_text().splitlines()
    values = dict(line.split("=", 1) for line in lines if re.match(r"^[A-Z_]+=", line))
    pattern = re.compile(r"\$\{([A-Z_]+)(?::?[-?]([^}]*))?\}")

    def fill(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: fill(value) for key, value in node.items()}
        if isinstance(node, list):
            return [fill(value) for value in node]
        if isinstance(node, str):
            filled = pattern.sub(lambda m: values.get(m.group(1)) or (m.group(2) or ""), node)
            return filled.replace("$$", "$")
        return node

    return fill(compose)


def _services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]


def _one_shot(service: dict[str, Any]) -> bool:
    return service.get("labels", {}).get("onematter.one-shot") == "true"


def _compose_config(env_file: Path) -> subprocess.CompletedProcess[str]:
    """``docker-compose config -q`` validates the file against the compose schema, with no daemon."""
    return subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "--env-file", str(env_file), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_compose_file_validates_with_docker_compose_when_it_is_installed(env_file: Path) -> None:
    if shutil.which("docker-compose") is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose); the other checks run")
    result = _compose_config(env_file)
    assert result.returncode == 0, result.stderr


def test_a_missing_env_file_is_a_clear_error_not_a_half_configured_stack(tmp_path: Path) -> None:
    if shutil.which("docker-compose") is None:
        pytest.skip("docker-compose is not installed")
    empty = tmp_path / "empty.env"
    empty.write_text("")
    result = _compose_config(empty)
    assert result.returncode != 0
    assert "gen_env.py" in result.stderr


def test_every_variable_the_compose_file_needs_is_generated_into_the_env_file(env_file: Path) -> None:
    # ``$${X}`` is for the container's shell; ``${X:-default}`` may stay unset.
    found = re.findall(r"(?<!\$)\$\{([A-Z_]+)(:-|:\?|\})", COMPOSE.read_text(encoding="utf-8"))
    used = {name for name, operator in found if operator != ":-"}
    assert "INTERNAL_TOKEN_SECRET" in used
    generated = {
        line.split("=", 1)[0]
        for line in env_file.read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert used - generated == set()


def test_every_long_running_container_has_a_health_check_and_a_restart_policy(compose: dict) -> None:
    for name, service in _services(compose).items():
        assert service.get("restart") in {"unless-stopped", "always", "on-failure"}, name
        if _one_shot(service):
            assert service["healthcheck"] == {"disable": True}, name
            continue
        test = service.get("healthcheck", {}).get("test")
        assert test and test[0] in {"CMD", "CMD-SHELL"}, f"{name} has no health check"


def test_only_the_gateway_publishes_a_port(compose: dict[str, Any]) -> None:
    publishing = {name for name, service in _services(compose).items() if service.get("ports")}
    assert publishing == {GATEWAY}
    assert _services(compose)[GATEWAY]["ports"] == ["${GATEWAY_PORT:-8000}:8000"]


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


def _settings_class(name: str) -> type:
    module, _, attribute = SETTINGS[name][0].partition(":")
    return getattr(importlib.import_module(module), attribute)


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_each_service_gets_every_variable_its_settings_need(name: str, resolved: dict[str, Any]) -> None:
    environment = _services(resolved)[name]["environment"]
    required = COMMON | SETTINGS[name][1] | (set() if name == GATEWAY else BACKEND)
    assert required - set(environment) == set()
    fields = {field.upper() for field in _settings_class(name).model_fields}
    unknown = set(environment) - fields
    assert unknown == set(), f"{name} sets variables no setting reads: {unknown}"


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_each_service_builds_its_settings_from_the_compose_environment(
    name: str, resolved: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in _services(resolved)[name]["environment"].items():
        monkeypatch.setenv(key, str(value))
    settings = _settings_class(name)()
    assert settings.internal_token_secret == _services(resolved)[name]["environment"]["INTERNAL_TOKEN_SECRET"]
    if name != GATEWAY:
        assert settings.database_url.startswith("postgresql+asyncpg://")
        database = settings.database_url.rsplit("/", 1)[1]
        assert database in {"catalog", "acceptance", "material", "notification"}


def test_each_backend_reaches_only_its_own_database_with_its_own_user(resolved: dict[str, Any]) -> None:
    urls = [_services(resolved)[name]["environment"]["DATABASE_URL"] for name in set(SETTINGS) - {GATEWAY}]
    parsed = [re.match(r"postgresql\+asyncpg://(\w+):(\w+)@postgres:5432/(\w+)$", url) for url in urls]
    assert all(match and match.group(1) == match.group(3) for match in parsed), urls
    assert len({match.group(2) for match in parsed if match}) == len(urls), "passwords must differ"
    script = (DEPLOY / "postgres" / "init-databases.sh").read_text()
    assert "REVOKE ALL ON DATABASE" in script and "FROM PUBLIC" in script
    assert all(f" {match.group(1)}" in script for match in parsed if match)


def test_every_stream_topic_is_created_before_the_services_start(compose: dict[str, Any]) -> None:
    init = _services(compose)["kafka-init"]
    created = set(init["environment"]["STREAM_TOPICS"].split())
    assert created == {stream.value for stream in Stream}
    assert {spec.stream.value for spec in EVENT_CATALOGUE.values() if spec.stream} <= created
    assert "--create --if-not-exists" in init["command"][0]
    assert _services(compose)["kafka"]["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"


def test_kafka_is_a_pinned_single_node_kraft_broker_with_a_volume(compose: dict[str, Any]) -> None:
    kafka = _services(compose)["kafka"]
    assert re.fullmatch(r"apache/kafka:3\.9\.\d+", kafka["image"])
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "kafka-data:/var/lib/kafka/data" in kafka["volumes"]
    assert kafka["environment"]["KAFKA_LOG_DIRS"] == "/var/lib/kafka/data"
    assert "postgres-data:/var/lib/postgresql/data" in _services(compose)["postgres"]["volumes"]
    assert set(compose["volumes"]) == {"postgres-data", "kafka-data", "materials"}


def _final_stage(dockerfile: str) -> list[str]:
    stages = re.split(r"^FROM ", dockerfile, flags=re.MULTILINE)
    return ("FROM " + stages[-1]).splitlines()


def test_the_dockerfile_runs_as_a_non_root_user_on_python_3_11_slim() -> None:
    text = DOCKERFILE.read_text()
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim$", text, flags=re.MULTILINE)
    final = _final_stage(text)
    assert final[0] == "FROM ${PYTHON_IMAGE} AS runtime"
    users = [line.split()[1] for line in final if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    assert 'ENTRYPOINT ["python", "/app/entrypoint.py"]' in final
    assert "EXPOSE 8000" in final
    assert 'uv sync --frozen --no-dev --no-editable --package "$PACKAGE"' in text


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
    assert "8000/healthz" in " ".join(service["healthcheck"]["test"])


def test_the_materials_volume_is_where_the_image_prepares_a_writable_directory(resolved: dict) -> None:
    material = _services(resolved)["material-service"]
    directory = material["environment"]["MATERIAL_STORAGE_DIR"]
    assert f"materials:{directory}" in material["volumes"]
    assert "chown -R onematter:onematter /var/lib/onematter" in DOCKERFILE.read_text()
    assert directory.startswith("/var/lib/onematter/")


def test_the_gateway_starts_in_production_with_an_external_issuer(
    resolved: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = dict(
        _services(resolved)[GATEWAY]["environment"],
        ENVIRONMENT="production",
        DEV_IDENTITY_PROVIDER="false",
        JWKS_URL="https://idp.example.gov.cn/certs",
    )
    for key, value in environment.items():
        monkeypatch.setenv(key, str(value))
    _settings_class(GATEWAY)()
