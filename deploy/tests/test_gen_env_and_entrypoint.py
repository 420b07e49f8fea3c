"""deploy/gen_env.py makes secrets once; deploy/entrypoint.py migrates before it serves."""

from __future__ import annotations

import stat
from pathlib import Path

from entrypoint import migrations_of, uvicorn_argv
from gen_env import defaults, ensure_env_file


def test_the_first_run_writes_random_secrets_readable_only_by_the_owner(tmp_path: Path) -> None:
    first, second = tmp_path / "a.env", tmp_path / "b.env"
    ensure_env_file(first)
    ensure_env_file(second)
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    secret = [line for line in first.read_text().splitlines() if line.startswith("INTERNAL_TOKEN_SECRET=")]
    assert len(secret) == 1 and len(secret[0].split("=", 1)[1]) >= 32
    assert secret[0] not in second.read_text()


def test_a_second_run_keeps_the_existing_values_and_adds_only_new_variables(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("INTERNAL_TOKEN_SECRET=kept-as-it-is\nPOSTGRES_PASSWORD=also-kept")
    written = ensure_env_file(path)
    text = path.read_text()
    assert "INTERNAL_TOKEN_SECRET" not in written and "POSTGRES_PASSWORD" not in written
    assert "INTERNAL_TOKEN_SECRET=kept-as-it-is\nPOSTGRES_PASSWORD=also-kept\n" in text
    assert set(written) == set(defaults()) - {"INTERNAL_TOKEN_SECRET", "POSTGRES_PASSWORD"}
    assert ensure_env_file(path) == [] and path.read_text() == text


def test_the_entrypoint_finds_each_services_migrations_and_none_for_the_gateway() -> None:
    catalog = migrations_of("onematter_catalog.entrypoints.app:create_app")
    assert catalog is not None and (catalog / "env.py").exists()
    assert migrations_of("onematter_gateway.entrypoints.app:create_app") is None


def test_the_entrypoint_serves_the_factory_on_the_container_port() -> None:
    argv = uvicorn_argv("onematter_material.entrypoints.app:create_app", port="8000")
    assert argv[:3] == ["uvicorn", "--factory", "onematter_material.entrypoints.app:create_app"]
    assert argv[argv.index("--port") + 1] == "8000" and argv[argv.index("--host") + 1] == "0.0.0.0"


def test_the_gateway_container_runs_the_gateways_own_runner_with_its_fast_path() -> None:
    argv = uvicorn_argv("onematter_gateway.entrypoints.app:create_app", port="8000")
    assert argv[1:3] == ["-m", "onematter_gateway"] and argv[-4:] == ["--host", "0.0.0.0", "--port", "8000"]
