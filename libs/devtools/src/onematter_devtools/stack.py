"""A whole OneMatter on infrastructure of its own: a private Kafka broker, a private PostgreSQL cluster
(both on free ports) and every service plus the gateway as processes.

For fault tests and benchmarks: stopping this stack's Kafka or PostgreSQL disturbs nobody else (the
shared test infrastructure on 29092/25432 is never touched). As in `make run`, each service connects to
the broker as its own principal with the ACLs of the topic-ownership table (the seed's departments get
theirs too); tests reach the broker as its admin (``stack.kafka.admin_options()``). ``start`` then
``stop`` (always, also after a failure); ``stop`` removes the cluster's and the broker's data.

``replicas=2`` runs every service twice on the one PostgreSQL and the one Kafka (same databases, same
consumer groups), behind a balancer per service (see :mod:`onematter_devtools.launcher`).
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
from pathlib import Path

from onematter_devtools._process import InfraError
from onematter_devtools.kafka import KafkaBroker
from onematter_devtools.kafka_admin import provision
from onematter_devtools.launcher import SERVICES, System, free_port
from onematter_devtools.postgres import PostgresCluster, find_bindir
from onematter_devtools.run import department_codes

__all__ = ["DedicatedStack"]


class DedicatedStack:
    """Own Kafka + own PostgreSQL + the whole system; ``kafka``, ``postgres`` and ``system`` are public."""

    def __init__(
        self,
        work_dir: Path | str,
        *,
        topic_prefix: str = "",
        extra_env: dict[str, dict[str, str]] | None = None,
        replicas: int = 1,
        durable_postgres: bool = False,
    ) -> None:
        self.work_dir = Path(work_dir).resolve()
        self.topic_prefix = topic_prefix
        self.kafka = KafkaBroker(
            data_dir=self.work_dir / "kafka", port=free_port(), controller_port=free_port()
        )
        pg_port = free_port()
        # Under /tmp: when we are root the server runs as `postgres`, which must reach its data dir.
        pg_home = Path(f"/tmp/onematter-pg-{pg_port}-{secrets.token_hex(3)}")  # noqa: S108
        self.postgres = PostgresCluster(port=pg_port, base_dir=pg_home, durable=durable_postgres)
        self.databases = {s.name: f"svc_{s.name.replace('-', '_')}" for s in SERVICES if s.name != "gateway"}
        base = f"postgresql+asyncpg://postgres@127.0.0.1:{pg_port}"
        ports = {s.name: free_port() for s in SERVICES}
        env = {
            "acceptance": {"MATERIAL_URL": f"http://127.0.0.1:{ports['material']}"},
            "material": {"ACCEPTANCE_URL": f"http://127.0.0.1:{ports['acceptance']}"},
        }
        for service, values in (extra_env or {}).items():
            env[service] = env.get(service, {}) | values
        self.system = System(
            kafka_bootstrap=self.kafka.bootstrap,
            data_dir=self.work_dir / "system",
            ports=ports,
            topic_prefix=topic_prefix,
            environment="test",
            extra_env=env,
            database_urls={svc: f"{base}/{db}" for svc, db in self.databases.items()},
            replicas=replicas,
        )

    def dsn(self, service: str | None = None) -> str:
        """A plain ``postgresql://`` DSN (for asyncpg) of a service's database, or of ``postgres``."""
        database = self.databases[service] if service else "postgres"
        return f"postgresql://postgres@127.0.0.1:{self.postgres.port}/{database}"

    def start(self, *, timeout: float = 120.0) -> None:
        """Kafka and PostgreSQL, the databases, then every service; ready when the gateway is."""
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.postgres.start()
        self._create_databases()
        self.kafka.start()
        principals = provision(self.kafka, prefix=self.topic_prefix, departments=department_codes())
        self.system.kafka_logins = principals.services
        self.system.start()
        self.system.wait_ready(timeout=timeout)

    def _create_databases(self) -> None:
        createdb = str(find_bindir() / "createdb")  # a client tool: fine to run as any user
        for name in self.databases.values():
            done = subprocess.run(  # noqa: S603 - a fixed command line, no shell
                [createdb, "-h", "127.0.0.1", "-p", str(self.postgres.port), "-U", "postgres", name],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise InfraError(f"createdb {name} failed: {done.stderr.strip()}")

    def stop(self) -> None:
        """Every process of this stack, then its data (never anything shared)."""
        try:
            self.system.stop()
        finally:
            self.kafka.stop(timeout=3)  # its data is deleted next: no need for a controlled shutdown
            self.postgres.stop()
            shutil.rmtree(self.postgres.home, ignore_errors=True)
            shutil.rmtree(self.kafka.data_dir, ignore_errors=True)
