"""Container entry point: read secret files, migrate the service's database, then ``exec`` the server.

``ONEMATTER_APP`` (baked into the image by ``deploy/Dockerfile``) names the factory, e.g.
``onematter_catalog.entrypoints.app:create_app``. In order:

1. **Secrets from files.** Every ``<NAME>_FILE`` variable is replaced by ``<NAME>`` holding the file's
   content (the convention of the official database images), so passwords and keys reach the service's
   settings without ever being container environment (``docker inspect``, ``docker compose config``).
   ``DATABASE_PASSWORD`` is put into ``DATABASE_URL``, which names the user but carries no password.
2. **Privileges.** compose bind-mounts secret files with their host mode (0600, owned by the operator),
   so it starts the container as root; after reading them this process becomes uid/gid 10001
   (``onematter``) before anything else runs. Started as non-root (Kubernetes), it reads and goes on.
3. **Migrations.** ``ONEMATTER_MIGRATE=auto`` (default) runs the module's ``MIGRATIONS`` to head under a
   PostgreSQL advisory lock, so ``--scale acceptance-service=3`` has one replica migrate while the others
   wait; ``only`` migrates and exits (the Helm chart's migration Job); ``skip`` serves at once (the
   chart's Deployments, which the Job has migrated). A failed migration exits non-zero.
4. uvicorn replaces this process (``exec``), so it is PID 1's child under ``init`` and gets ``SIGTERM``.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
from collections.abc import MutableMapping
from pathlib import Path

__all__ = [
    "MIGRATION_LOCK_KEY",
    "SERVICE_UID",
    "database_url_with_password",
    "migrations_of",
    "secrets_from_files",
    "uvicorn_argv",
]

#: Any constant works: each service has its own database, so the lock is per service.
MIGRATION_LOCK_KEY = 0x6F6E656D  # "onem"
#: The ``onematter`` user and group the Dockerfile creates.
SERVICE_UID = 10001


def secrets_from_files(environ: MutableMapping[str, str]) -> list[str]:
    """Replaces each ``X_FILE`` by ``X`` (the file's content without its final newline); returns the names.

    Raises ``SystemExit`` naming the variable (never the content) when a file cannot be read."""
    names = []
    for key in [k for k in environ if k.endswith("_FILE") and len(k) > len("_FILE")]:
        path = Path(environ.pop(key))
        try:
            environ[key.removesuffix("_FILE")] = path.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise SystemExit(f"{key}: cannot read {path} ({exc.strerror})") from None
        names.append(key.removesuffix("_FILE"))
    password = environ.pop("DATABASE_PASSWORD", None)
    if password is not None and "DATABASE_URL" in environ:
        environ["DATABASE_URL"] = database_url_with_password(environ["DATABASE_URL"], password)
    return names


def database_url_with_password(url: str, password: str) -> str:
    """``url`` with ``password`` (quoted as the URL needs) for its user: ``postgresql+asyncpg://u:p@h/db``."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(password=password).render_as_string(hide_password=False)


def drop_privileges(uid: int = SERVICE_UID) -> None:
    """Become ``uid`` (and its group) for good when started as root; a no-op otherwise."""
    if os.getuid() != 0:
        return
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    os.environ["HOME"] = "/app"


def migrations_of(app_spec: str) -> Path | None:
    """The Alembic directory next to the app factory (``MIGRATIONS``), or ``None`` (the gateway)."""
    module = importlib.import_module(app_spec.partition(":")[0])
    migrations = getattr(module, "MIGRATIONS", None)
    return Path(migrations) if migrations is not None else None


def uvicorn_argv(app_spec: str, *, port: str) -> list[str]:
    """The server's command line (the gateway trusts the TLS proxy through its TRUSTED_PROXIES setting)."""
    if app_spec.startswith("onematter_gateway."):
        # The gateway's own runner: uvicorn with the proxy's fast path for /api (see its __main__).
        return [sys.executable, "-m", "onematter_gateway", "--host", "0.0.0.0", "--port", port]  # noqa: S104
    return [
        "uvicorn",
        "--factory",
        app_spec,
        "--host",
        "0.0.0.0",  # noqa: S104
        "--port",
        port,
        "--no-server-header",
        "--timeout-graceful-shutdown",
        "20",
        "--no-access-log",
    ]


async def _migrate_under_lock(migrations: Path, database_url: str) -> None:
    from onematter_kit.migrations import upgrade_to_head
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            await upgrade_to_head(migrations, database_url)
    finally:  # closing the connection releases the session-level lock
        await engine.dispose()


def main() -> None:
    secrets_from_files(os.environ)
    drop_privileges()
    app_spec = os.environ["ONEMATTER_APP"]
    mode = os.environ.pop("ONEMATTER_MIGRATE", "auto")
    if mode not in {"auto", "only", "skip"}:
        raise SystemExit(f"ONEMATTER_MIGRATE must be auto, only or skip, not {mode!r}")
    migrations = migrations_of(app_spec) if mode != "skip" else None
    if migrations is not None:
        print(f"migrating {migrations} to head", file=sys.stderr, flush=True)
        asyncio.run(_migrate_under_lock(migrations, os.environ["DATABASE_URL"]))
    if mode == "only":
        return
    argv = uvicorn_argv(app_spec, port=os.environ.get("PORT", "8000"))
    os.execvp(argv[0], argv)  # noqa: S606 — fixed argv, no shell


if __name__ == "__main__":
    main()
