"""The whole system as separate processes, for `make run` and end-to-end tests.

Each service is `python -m uvicorn <factory> --factory` in its own process group, logging to
`<data_dir>/logs/<service>.log`. The gateway starts last. All processes share one random internal-token
secret, generated per `System`. Each service connects to Kafka as the principal in `kafka_logins` (its
own `svc-<service>`, see `onematter_devtools.kafka_admin`); a service without one there inherits the
`KAFKA_*` variables of this process's environment (tests: the shared test broker's admin). The caller
must `stop()` (or use `with System(...)`), or the services outlive it.

With ``replicas=2`` (or more) each service but the gateway runs that many times as instances
``<service>-1``, ``<service>-2`` … on ports of their own, with the same database and the same consumer
groups; ``ports[service]`` is then the service's address, a round-robin TCP balancer
(:mod:`onematter_devtools.balancer`, one process for all services) in front of its replicas, which the
gateway and the other services call as before. The gateway stays one process: its development identity
provider signs with a key made at start-up, so two gateways would not accept each other's tokens.
"""

# ruff: noqa: S603 - every subprocess runs a fixed command line built here, no shell

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from onematter_devtools._process import InfraError, free_port, port_open, tail, terminate_group
from onematter_devtools.credentials import KafkaLogin

__all__ = ["SERVICES", "Service", "System", "free_port"]


@dataclass(frozen=True)
class Service:
    name: str
    factory: str
    port: int


SERVICES = (  # in start order: the gateway last
    Service("matter-catalog", "onematter_catalog.entrypoints.app:create_app", 8101),
    Service("acceptance", "onematter_acceptance.entrypoints.app:create_app", 8102),
    Service("material", "onematter_material.entrypoints.app:create_app", 8103),
    Service("notification", "onematter_notification.entrypoints.app:create_app", 8104),
    Service("hotline", "onematter_hotline.entrypoints.app:create_app", 8105),
    Service("gateway", "onematter_gateway.entrypoints.app:create_app", 8000),
)
_GATEWAY_TARGETS = {
    "CATALOG_URL": "matter-catalog",
    "ACCEPTANCE_URL": "acceptance",
    "MATERIAL_URL": "material",
    "NOTIFICATION_URL": "notification",
    "HOTLINE_URL": "hotline",
}


class System:
    """Every service and the gateway as processes; `start`, `wait_ready`, then `stop` (always)."""

    def __init__(
        self,
        *,
        kafka_bootstrap: str,
        data_dir: Path | str,
        ports: dict[str, int] | None = None,
        database_urls: dict[str, str] | None = None,
        topic_prefix: str = "",
        environment: str = "development",
        extra_env: dict[str, dict[str, str]] | None = None,
        kafka_logins: dict[str, KafkaLogin] | None = None,
        replicas: int = 1,
    ) -> None:
        if replicas < 1:
            raise ValueError("replicas must be at least 1")
        self.data_dir = Path(data_dir).resolve()
        self.kafka_bootstrap, self.topic_prefix, self.environment = kafka_bootstrap, topic_prefix, environment
        self.ports = {s.name: s.port for s in SERVICES} | (ports or {})
        self.database_urls = {
            s.name: f"sqlite+aiosqlite:///{self.data_dir}/{s.name}.db" for s in SERVICES
        } | (database_urls or {})
        self.extra_env = extra_env or {}
        #: Kafka principal per service name; may be filled in after construction, before `start`.
        self.kafka_logins: dict[str, KafkaLogin] = dict(kafka_logins or {})
        self.internal_token_secret = secrets.token_urlsafe(36)  # 48 characters
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        #: Instance name → its own port; with one replica an instance is its service (same name, port).
        self.instance_ports = {
            name: port for service in SERVICES for name, port in self._instances(service.name, replicas)
        }

    def _instances(self, service: str, replicas: int) -> list[tuple[str, int]]:
        if replicas == 1 or service == "gateway":
            return [(service, self.ports[service])]
        return [(f"{service}-{n}", free_port()) for n in range(1, replicas + 1)]

    def instances(self, service: str) -> list[str]:
        """The instance names of a service: ``[service]``, or ``[service-1, service-2, …]``."""
        return [name for name in self.instance_ports if _service_of(name) == service]

    def instance_url(self, instance: str) -> str:
        """One replica's own address (the service's address is :meth:`url`)."""
        return f"http://127.0.0.1:{self.instance_ports[instance]}"

    @property
    def replicated(self) -> bool:
        return len(self.instance_ports) > len(SERVICES)

    @property
    def gateway_url(self) -> str:
        return self.url("gateway")

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def log_file(self, service: str) -> Path:
        return self.data_dir / "logs" / f"{service}.log"

    def env_for(self, instance: str) -> dict[str, str]:
        """The environment of one instance (a service's name is also the name of its only instance)."""
        service = _service_of(instance)
        env = os.environ | {
            "ENVIRONMENT": self.environment,
            "SERVICE_NAME": service,
            "DATABASE_URL": self.database_urls[service],
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap,
            "KAFKA_TOPIC_PREFIX": self.topic_prefix,
            "INTERNAL_TOKEN_SECRET": self.internal_token_secret,
        }
        if login := self.kafka_logins.get(service):
            env |= login.service_env()
        if service == "material":
            env["MATERIAL_STORAGE_DIR"] = str(self.data_dir / "materials")
            env["ACCEPTANCE_URL"] = self.url("acceptance")
        if service == "acceptance":  # it calls both directly (never through the gateway)
            env |= {"MATERIAL_URL": self.url("material"), "CATALOG_URL": self.url("matter-catalog")}
        if service == "notification":  # asks the catalog for names it has not received yet
            env["CATALOG_URL"] = self.url("matter-catalog")
        if service == "gateway":
            env |= {name: self.url(target) for name, target in _GATEWAY_TARGETS.items()}
        return env | self.extra_env.get(service, {})

    def start(self) -> None:
        """Spawn every service (the gateway last); fails before spawning anything if a port is taken."""
        ports = self.ports | self.instance_ports
        taken = [f"{name}:{port}" for name, port in ports.items() if port_open(port)]
        if taken:
            raise InfraError(f"ports already in use: {', '.join(taken)}")
        (self.data_dir / "logs").mkdir(parents=True, exist_ok=True)
        if self.replicated:
            self._spawn_balancer()
        for instance in self.instance_ports:  # in SERVICES' order: the gateway last
            self._spawn(instance)

    def _spawn_balancer(self) -> None:
        routes = [
            f"{self.ports[s.name]}=" + ",".join(str(self.instance_ports[i]) for i in self.instances(s.name))
            for s in SERVICES
            if s.name != "gateway"
        ]
        cmd = [sys.executable, "-m", "onematter_devtools.balancer", *routes]
        self._popen(_BALANCER, cmd, os.environ.copy())

    def _spawn(self, name: str) -> None:
        factory = next(s.factory for s in SERVICES if s.name == _service_of(name))
        port = str(self.instance_ports[name])
        # The gateway runs under its own runner: tuned keep-alive and concurrency limits, and
        # X-Forwarded-For not trusted (the per-IP rate limit keys on the client address).
        gateway = [sys.executable, "-m", "onematter_gateway", "--port", port]
        cmd = (
            gateway
            if name == "gateway"
            else [
                sys.executable,
                "-m",
                "uvicorn",
                factory,
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                port,
                "--no-access-log",
            ]
        )
        self._popen(name, cmd, self.env_for(name))

    def _popen(self, name: str, cmd: list[str], env: dict[str, str]) -> None:
        with self.log_file(name).open("ab") as log:
            self.processes[name] = subprocess.Popen(
                cmd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def dead(self) -> list[str]:
        """Services whose process has exited."""
        return [name for name, proc in self.processes.items() if proc.poll() is not None]

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Block until the gateway's /readyz answers 200 (and, with replicas, every replica's own);
        fail early with the log of a service that died."""
        deadline = time.monotonic() + timeout
        urls = [self.gateway_url] + [self.instance_url(i) for i in self.instance_ports if self.replicated]
        while not all(self._ready(url) for url in urls):
            if dead := self.dead():
                raise InfraError(f"{dead[0]} exited:\n{tail(self.log_file(dead[0]))}")
            if time.monotonic() > deadline:
                log = tail(self.log_file("gateway"))
                raise InfraError(f"gateway not ready after {timeout:.0f} s:\n{log}")
            time.sleep(0.5)

    @staticmethod
    def _ready(url: str) -> bool:
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:  # noqa: S310
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        """SIGTERM every service at once, SIGKILL whatever still runs after 10 s."""
        for proc in self.processes.values():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in self.processes.values():
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                terminate_group(proc.pid, timeout=0)
                proc.wait()
        self.processes.clear()

    def kill(self, service: str) -> None:
        """SIGKILL one instance (crash simulation): no shutdown hooks run."""
        proc = self.processes[service]
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def restart(self, service: str, *, timeout: float = 30.0) -> None:
        """Stop one instance (gracefully if it runs), start it again and wait until its port answers."""
        proc = self.processes[service]
        if proc.poll() is None:
            terminate_group(proc.pid, timeout=10)
        proc.wait()
        self._spawn(service)
        deadline = time.monotonic() + timeout
        while not port_open(self.instance_ports[service]):  # uvicorn binds only after the app's startup
            if self.processes[service].poll() is not None or time.monotonic() > deadline:
                raise InfraError(f"{service} did not come back:\n{tail(self.log_file(service))}")
            time.sleep(0.2)

    def __enter__(self) -> System:
        """Start and wait until ready (up to 90 s); stops everything again if that fails."""
        self.start()
        try:
            self.wait_ready(90)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


_BALANCER = "balancer"


def _service_of(instance: str) -> str:
    """``acceptance-2`` → ``acceptance``; a service's own name is returned as it is."""
    base, _, number = instance.rpartition("-")
    return base if number.isdigit() else instance
