"""The hardening of issue 26 that can be read off the files: each item, one test."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[1]
ROOT = DEPLOY.parent
COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
SERVICES: dict[str, Any] = COMPOSE["services"]
DOCKERFILE = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}\}?$")


def test_the_env_file_the_secrets_and_the_backups_are_ignored_by_git() -> None:
    paths = [
        "deploy/.env",
        "deploy/secrets/internal_token_secret",
        "deploy/secrets/tls.key",
        "deploy/backups/2026/catalog.dump",
    ]
    done = subprocess.run(["git", "check-ignore", *paths], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.split() == paths


def test_no_password_key_or_token_is_an_environment_variable_only_a_file_path() -> None:
    secretish = re.compile(r"PASSWORD|SECRET|TOKEN|_KEY$")
    for name, service in SERVICES.items():
        mounted = set(service.get("secrets", []))
        for key, value in (service.get("environment") or {}).items():
            if secretish.search(key):
                assert key.endswith("_FILE"), f"{name}: {key} must be a *_FILE path to a secret"
                assert value == f"/run/secrets/{Path(value).name}" and Path(value).name in mounted, (
                    name,
                    key,
                )
    declared = COMPOSE["secrets"]
    # The Kafka logins are SECRETS_DIR/kafka/<username> (kafka-init mounts that folder, and only it).
    kafka = {secret: spec for secret, spec in declared.items() if secret.startswith("kafka_")}
    assert all(spec["file"].startswith("${SECRETS_DIR:-./secrets}/kafka/") for spec in kafka.values())
    assert all(
        spec == {"file": f"${{SECRETS_DIR:-./secrets}}/{secret}"}
        for secret, spec in declared.items()
        if secret not in kafka
    )


def test_the_services_are_production_with_the_demo_identity_provider_off_unless_set_explicitly() -> None:
    gateway = SERVICES["gateway"]["environment"]
    assert gateway["ENVIRONMENT"] == "${ENVIRONMENT:-production}"
    assert gateway["DEV_IDENTITY_PROVIDER"] == "${DEV_IDENTITY_PROVIDER:-false}"
    assert COMPOSE["x-service-env"]["ENVIRONMENT"] == "${ENVIRONMENT:-production}"
    from gen_env import defaults

    assert defaults()["ENVIRONMENT"]() == "production" and defaults()["DEV_IDENTITY_PROVIDER"]() == "false"
    assert defaults()["GATEWAY_BIND"]() == defaults()["HTTPS_BIND"]() == "127.0.0.1"


def test_the_gateway_believes_x_forwarded_for_only_from_the_proxys_fixed_address() -> None:
    address = SERVICES["proxy"]["networks"]["edge"]["ipv4_address"]
    assert json.loads(SERVICES["gateway"]["environment"]["TRUSTED_PROXIES"]) == [address]
    [pool] = COMPOSE["networks"]["edge"]["ipam"]["config"]
    import ipaddress

    fixed = ipaddress.ip_address(address.split(":-")[1].rstrip("}"))
    subnet = ipaddress.ip_network(pool["subnet"].split(":-")[1].rstrip("}"))
    dynamic = ipaddress.ip_network(pool["ip_range"].split(":-")[1].rstrip("}"))
    assert fixed in subnet and dynamic.subnet_of(subnet) and fixed not in dynamic  # type: ignore[arg-type]
    nginx = (DEPLOY / "proxy/nginx.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in nginx  # replaces, never appends
    assert "ssl_certificate_key /run/secrets/tls.key;" in nginx


def test_mailpit_runs_only_in_the_dev_profile_and_nothing_depends_on_it() -> None:
    assert SERVICES["mailpit"]["profiles"] == ["dev"]
    assert all("mailpit" not in (s.get("depends_on") or {}) for s in SERVICES.values())
    assert SERVICES["notification-service"]["environment"]["SMTP_HOST"] == "${SMTP_HOST:-}"


def test_every_registry_image_outside_the_dev_profile_is_pinned_by_digest() -> None:
    for name, service in SERVICES.items():
        if "build" in service or "dev" in service.get("profiles", []):
            continue
        assert re.fullmatch(r"\$\{[A-Z]+_IMAGE:-[^}]+\}", service["image"]), name
        assert DIGEST.search(service["image"]), f"{name}: {service['image']} is not pinned"
    [python] = re.findall(r"^ARG PYTHON_IMAGE=(\S+)$", DOCKERFILE, flags=re.MULTILINE)
    assert DIGEST.search(python)
    assert COMPOSE["x-build-args"]["PYTHON_IMAGE"] == f"${{PYTHON_IMAGE:-{python}}}", "one pin, two places"


def test_the_pin_script_finds_every_pinned_image() -> None:
    from pin_images import image_references

    text = (DEPLOY / "compose.yaml").read_text() + DOCKERFILE
    names = {f"{name}:{tag}" for name, tag, _ in image_references(text)}
    assert names == {
        "python:3.11-slim-bookworm",
        "postgres:16-bookworm",
        "apache/kafka:3.9.1",
        "nginx:1.27-bookworm",
        "axllent/mailpit:v1.21",
    }


def test_every_container_has_rotated_logs_and_a_memory_limit() -> None:
    for name, service in SERVICES.items():
        logging = service.get("logging", {})
        assert logging.get("driver") == "json-file" and logging["options"]["max-size"], name
        assert re.fullmatch(r"\d+[mg]", service.get("mem_limit", "")), f"{name} has no memory limit"


def test_the_services_are_checked_on_readyz_and_kafka_without_a_jvm() -> None:
    for name, service in SERVICES.items():
        if "build" in service and service.get("labels", {}).get("onematter.one-shot") != "true":
            assert "http://127.0.0.1:8000/readyz" in " ".join(service["healthcheck"]["test"]), name
    kafka = " ".join(SERVICES["kafka"]["healthcheck"]["test"])
    assert "/dev/tcp/127.0.0.1/9092" in kafka and ".sh" not in kafka and "java" not in kafka


@pytest.mark.parametrize(
    "name",
    ["matter-catalog-service", "acceptance-service", "material-service", "notification-service", "gateway"],
)
def test_services_start_as_root_only_to_read_secrets_with_every_other_capability_dropped(name: str) -> None:
    service = SERVICES[name]
    assert service["cap_drop"] == ["ALL"] and set(service["cap_add"]) == {"SETUID", "SETGID", "DAC_OVERRIDE"}
    assert "no-new-privileges:true" in service["security_opt"]
    final = DOCKERFILE.rsplit("\nFROM ", 1)[1]
    assert "USER onematter" in final  # non-root without compose (Kubernetes, docker run)


def test_the_dockerfile_has_no_syntax_line_and_follows_the_base_images_python() -> None:
    assert not re.search(r"^#\s*syntax\s*=", DOCKERFILE, flags=re.MULTILINE)
    assert "UV_PYTHON=" not in DOCKERFILE and "python3.11" not in DOCKERFILE
    assert "UV_PYTHON_PREFERENCE=only-system" in DOCKERFILE


def test_the_dependency_layer_is_built_from_the_lock_and_pyproject_files_before_the_sources() -> None:
    first_sync = DOCKERFILE.index("uv sync --frozen --no-dev --no-install-workspace")
    sources = DOCKERFILE.index("COPY . .")
    assert first_sync < sources
    copied = set(re.findall(r"^COPY (\S+/pyproject\.toml) ", DOCKERFILE[:first_sync], flags=re.MULTILINE))
    members = {str(p.relative_to(ROOT)) for p in ROOT.glob("*/pyproject.toml")}
    members |= {str(p.relative_to(ROOT)) for p in ROOT.glob("libs/*/pyproject.toml")}
    assert copied == members, "every workspace member's pyproject.toml, and only those"
    assert "COPY uv.lock pyproject.toml ./" in DOCKERFILE[:first_sync]
