"""deploy/gen_env.py makes settings and secrets once; deploy/entrypoint.py reads them and migrates."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from entrypoint import database_url_with_password, migrations_of, secrets_from_files, uvicorn_argv
from gen_env import KAFKA_DIR, SECRETS, TLS_FILES, defaults, ensure_env_file, ensure_secrets, main


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_first_run_writes_settings_and_random_secrets_readable_only_by_the_owner(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    main(["gen_env.py", str(tmp_path / "a" / ".env")])
    main(["gen_env.py", str(tmp_path / "b.env")])
    env, secrets = tmp_path / "a" / ".env", tmp_path / "a" / "secrets"
    assert _mode(env) == 0o600 and _mode(secrets) == 0o700
    assert {p.name for p in secrets.iterdir()} == set(SECRETS) | set(TLS_FILES) | {KAFKA_DIR}
    assert all(_mode(p) == 0o600 for p in secrets.rglob("*") if p.is_file())
    assert _mode(secrets / KAFKA_DIR) == 0o700
    token = (secrets / "internal_token_secret").read_text().strip()
    assert len(token) >= 32 and token != (tmp_path / "secrets" / "internal_token_secret").read_text().strip()
    assert "PASSWORD" not in env.read_text() and token not in env.read_text()
    assert (secrets / "tls.crt").read_text().startswith("-----BEGIN CERTIFICATE-----")


def test_every_kafka_principal_gets_its_own_password_file_and_an_added_department_gets_one_too(
    tmp_path: Path,
) -> None:
    from onematter_devtools.run import department_codes
    from onematter_events.ownership import SERVICES as KAFKA_SERVICES

    main(["gen_env.py", str(tmp_path / ".env")])
    kafka = tmp_path / "secrets" / KAFKA_DIR
    seed = department_codes()
    assert {"mps", "nhc"} <= set(seed)
    expected = {"admin"} | {f"svc-{s}" for s in KAFKA_SERVICES} | {f"dept-{c}" for c in seed}
    assert {p.name for p in kafka.iterdir()} == expected
    passwords = {p.read_text().strip() for p in kafka.iterdir()}
    assert len(passwords) == len(expected) and min(map(len, passwords)) >= 32
    admin = (kafka / "admin").read_text()
    with (tmp_path / ".env").open("a") as env:
        env.write("KAFKA_DEPARTMENTS=city-water\n")
    main(["gen_env.py", str(tmp_path / ".env")])
    assert {p.name for p in kafka.iterdir()} == expected | {"dept-city-water"}
    assert (kafka / "admin").read_text() == admin and _mode(kafka / "dept-city-water") == 0o600


def test_a_second_run_keeps_the_existing_values_and_adds_only_new_variables(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("ENVIRONMENT=development\nJWKS_URL=https://idp.example.gov.cn/certs")
    written = ensure_env_file(path)
    text = path.read_text()
    assert "ENVIRONMENT" not in written and "JWKS_URL" not in written
    assert "ENVIRONMENT=development\nJWKS_URL=https://idp.example.gov.cn/certs\n" in text
    assert set(written) == set(defaults()) - {"ENVIRONMENT", "JWKS_URL"}
    assert ensure_env_file(path) == [] and path.read_text() == text


def test_passwords_of_an_env_file_from_before_become_the_secret_files(tmp_path: Path) -> None:
    created = ensure_secrets(tmp_path / "secrets", legacy={"CATALOG_DB_PASSWORD": "kept-in-the-volume"})
    assert "catalog_db_password" in created
    assert (tmp_path / "secrets" / "catalog_db_password").read_text() == "kept-in-the-volume\n"
    (tmp_path / "secrets" / "metrics_token").write_text("rotated\n")
    assert ensure_secrets(tmp_path / "secrets") == []  # nothing existing is overwritten
    assert (tmp_path / "secrets" / "metrics_token").read_text() == "rotated\n"


def test_file_secrets_become_variables_and_the_database_password_goes_into_the_url(tmp_path: Path) -> None:
    (tmp_path / "token").write_text("s3cret-token\n")
    (tmp_path / "db").write_text("p@ss/word:1\n")
    environ = {
        "INTERNAL_TOKEN_SECRET_FILE": str(tmp_path / "token"),
        "DATABASE_PASSWORD_FILE": str(tmp_path / "db"),
        "DATABASE_URL": "postgresql+asyncpg://catalog@postgres:5432/catalog",
        "PORT": "8000",
    }
    assert sorted(secrets_from_files(environ)) == ["DATABASE_PASSWORD", "INTERNAL_TOKEN_SECRET"]
    assert environ == {
        "INTERNAL_TOKEN_SECRET": "s3cret-token",
        "DATABASE_URL": "postgresql+asyncpg://catalog:p%40ss%2Fword%3A1@postgres:5432/catalog",
        "PORT": "8000",
    }


def test_an_unreadable_secret_file_stops_the_container_naming_the_variable_not_the_value(
    tmp_path: Path,
) -> None:
    with pytest.raises(SystemExit, match="METRICS_TOKEN_FILE: cannot read"):
        secrets_from_files({"METRICS_TOKEN_FILE": str(tmp_path / "missing")})


def test_a_password_with_url_characters_reaches_the_driver_unchanged() -> None:
    from sqlalchemy.engine import make_url  # how the services parse DATABASE_URL

    url = make_url(database_url_with_password("postgresql+asyncpg://u@h:5432/d", "p@ss/w:rd #1?"))
    assert (url.username, url.password, url.host, url.database) == ("u", "p@ss/w:rd #1?", "h", "d")


def test_the_entrypoint_finds_each_services_migrations_and_none_for_the_gateway() -> None:
    catalog = migrations_of("onematter_catalog.entrypoints.app:create_app")
    assert catalog is not None and (catalog / "env.py").exists()
    assert migrations_of("onematter_gateway.entrypoints.app:create_app") is None


def test_the_entrypoint_serves_the_factory_on_the_container_port() -> None:
    argv = uvicorn_argv("onematter_material.entrypoints.app:create_app", port="8000")
    assert argv[:3] == ["uvicorn", "--factory", "onematter_material.entrypoints.app:create_app"]
    assert argv[argv.index("--port") + 1] == "8000" and argv[argv.index("--host") + 1] == "0.0.0.0"


def test_the_gateway_container_runs_the_gateways_own_runner() -> None:
    argv = uvicorn_argv("onematter_gateway.entrypoints.app:create_app", port="8000")
    assert argv[1:3] == ["-m", "onematter_gateway"] and argv[-4:] == ["--host", "0.0.0.0", "--port", "8000"]
