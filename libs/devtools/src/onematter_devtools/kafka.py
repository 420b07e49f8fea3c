"""A single-node Apache Kafka broker in KRaft combined mode, from the real jars on Maven Central.

The jars are resolved once with Maven into `$ONEMATTER_CACHE/kafka-<version>/libs`
(default `~/.cache/onematter`); a stamp file marks a complete download, so a broken one is redone.
The broker runs detached in its own session: it outlives the Python process that started it
until `KafkaBroker.stop()` is called. Its data, logs and pid file live in `data_dir`.

Clients authenticate (issue 16): the client listener speaks SASL_PLAINTEXT with SCRAM-SHA-512, the KRaft
`StandardAuthorizer` allows nothing that no ACL allows, and `admin` is the one super-user. Its password is
generated into `<data_dir>/credentials/admin` (0600) and put into the metadata log when the storage is
formatted (`kafka-storage format --add-scram`, from an argument file, never a command line that `ps`
shows). The controller listener uses SASL PLAIN for the same admin (SCRAM cannot authenticate the
controller: its credentials live in the log the controller serves). Service and department principals
and their ACLs are added afterwards through the admin API (`onematter_devtools.kafka_acl`).
"""

# ruff: noqa: S603 - every subprocess runs a fixed command line built here, no shell

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from onematter_devtools._process import InfraError, port_open, read_pid, say, tail, terminate_group
from onematter_devtools.credentials import MECHANISM, CredentialStore, KafkaLogin
from onematter_devtools.kafka_jars import KAFKA_VERSION, ensure_jars, require

__all__ = ["ADMIN", "KAFKA_VERSION", "KafkaBroker", "ensure_jars"]

STARTED_MARKER = "Kafka Server started"  # "[KafkaRaftServer nodeId=1] Kafka Server started (...)"
#: The super-user: the broker itself, the controller listener, and the operator's tools.
ADMIN = "admin"
_SCRAM = "org.apache.kafka.common.security.scram.ScramLoginModule"
_PLAIN = "org.apache.kafka.common.security.plain.PlainLoginModule"


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only (it may hold a password)."""
    path.unlink(missing_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
        file.write(text)


def _cluster_id() -> str:
    """A random base64url 16-byte id like `StorageTool random-uuid` (which avoids a leading '-')."""
    while (cid := base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="))[0] == "-":
        pass
    return cid


@dataclass(frozen=True)
class KafkaBroker:
    """One broker + controller node; `start` is idempotent and `stop` only stops this data dir's broker."""

    data_dir: Path
    port: int = 9092
    controller_port: int = 9093
    #: Start from empty storage. For throwaway test brokers: every test run leaves topics of its own prefix
    #: behind, and a broker restarted over tens of thousands of them takes minutes to load (or fails).
    fresh: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir).resolve())  # the JVM runs in data_dir

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "kafka.pid"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "kafka.log"

    @property
    def out_file(self) -> Path:
        return self.data_dir / "kafka.out"

    @property
    def credentials(self) -> CredentialStore:
        """Generated passwords of this broker's principals (``<data_dir>/credentials``, 0700/0600)."""
        return CredentialStore(self.data_dir / "credentials")

    @property
    def admin(self) -> KafkaLogin:
        """The super-user's login (created with the broker's storage)."""
        return self.credentials.login(ADMIN)

    def admin_options(self) -> dict[str, object]:
        """aiokafka keyword arguments for connecting as the super-user (tests, tools)."""
        return self.admin.aiokafka_options(self.bootstrap)

    def server_properties(self) -> str:
        """The broker's configuration; it holds the admin password, so it is written 0600."""
        c = self.controller_port
        props = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@127.0.0.1:{c}",
            "listeners": f"CLIENT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{c}",
            "advertised.listeners": f"CLIENT://127.0.0.1:{self.port}",
            "listener.security.protocol.map": "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "CLIENT",
            **self._security_properties(),
            "log.dirs": str(self.data_dir / "data"),
            "num.partitions": "1",
            "auto.create.topics.enable": "false",
            "offsets.topic.replication.factor": "1",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "group.initial.rebalance.delay.ms": "0",
        }
        return "".join(f"{key}={value}\n" for key, value in props.items())

    def _security_properties(self) -> dict[str, str]:
        user, password = self.admin.username, self.admin.password
        return {
            "sasl.mechanism.inter.broker.protocol": MECHANISM,
            "sasl.mechanism.controller.protocol": "PLAIN",
            "listener.name.client.sasl.enabled.mechanisms": MECHANISM,
            f"listener.name.client.{MECHANISM.lower()}.sasl.jaas.config": (
                f'{_SCRAM} required username="{user}" password="{password}";'
            ),
            "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
            "listener.name.controller.plain.sasl.jaas.config": (
                f'{_PLAIN} required username="{user}" password="{password}" user_{user}="{password}";'
            ),
            "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "allow.everyone.if.no.acl.found": "false",
            "super.users": f"User:{user}",
        }

    def _log4j(self) -> str:
        # WARN in general; INFO for the one logger whose "Kafka Server started" line proves readiness.
        return (
            "log4j.rootLogger=WARN, file\n"
            "log4j.logger.kafka.server.KafkaRaftServer=INFO\n"
            "log4j.appender.file=org.apache.log4j.FileAppender\n"
            f"log4j.appender.file.File={self.log_file}\n"
            "log4j.appender.file.Append=false\n"
            "log4j.appender.file.layout=org.apache.log4j.PatternLayout\n"
            "log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n\n"
        )

    def is_running(self) -> bool:
        return read_pid(self.pid_file) is not None and port_open(self.port)

    def start(self, *, timeout: float = 90.0) -> bool:
        """Start the broker unless it already runs; True if this call started it."""
        if self.is_running():
            self._refuse_unauthenticated_reuse()
            say(f"Kafka already running at {self.bootstrap} (reused)")
            return False
        self.stop()  # a live pid whose port does not answer is a broken broker
        if port_open(self.port) or port_open(self.controller_port):
            raise InfraError(f"port {self.port} or {self.controller_port} is taken by another process")
        java = require("java", "install Java 17 (apt-get install openjdk-17-jre-headless)")
        libs = ensure_jars()
        if self.fresh:
            shutil.rmtree(self.data_dir / "data", ignore_errors=True)
        self._refuse_storage_without_admin()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        props = self.data_dir / "server.properties"
        _write_private(props, self.server_properties())
        (self.data_dir / "log4j.properties").write_text(self._log4j())
        log4j = self.data_dir / "log4j.properties"
        classpath = ["-cp", f"{libs}/*", f"-Dlog4j.configuration=file:{log4j}"]
        self._format(java, classpath, props)
        self.log_file.write_text("")
        say(f"Starting Kafka {KAFKA_VERSION} (KRaft) at {self.bootstrap} ...")
        with self.out_file.open("wb") as out:
            proc = subprocess.Popen(
                [java, "-Xms256m", "-Xmx768m", *classpath, "kafka.Kafka", str(props)],
                cwd=self.data_dir,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.pid_file.write_text(f"{proc.pid}\n")
        self._wait_started(proc, timeout)
        return True

    def _refuse_storage_without_admin(self) -> None:
        formatted = (self.data_dir / "data" / "meta.properties").exists()
        if formatted and not self.credentials.path(ADMIN).exists():
            raise InfraError(
                f"{self.data_dir / 'data'} was formatted before Kafka took SASL logins and holds no admin "
                f"credential; remove {self.data_dir} to start afresh (services re-create their topics)"
            )

    def _refuse_unauthenticated_reuse(self) -> None:
        # A broker started by an older checkout listens without SASL: every client here would fail to log in.
        props = self.data_dir / "server.properties"
        text = props.read_text(errors="replace") if props.exists() else ""
        if "SASL_PLAINTEXT" not in text or not self.credentials.path(ADMIN).exists():
            raise InfraError(
                f"the Kafka running at {self.bootstrap} (data in {self.data_dir}) was started without "
                "SASL/SCRAM; stop it and start it again with this checkout (e.g. `make infra-down "
                "INFRA_ARGS=--all && make infra-up` for the test broker)"
            )

    def _format(self, java: str, classpath: list[str], props: Path) -> None:
        if (self.data_dir / "data" / "meta.properties").exists():
            return
        admin = self.admin
        scram = f"{MECHANISM}=[name={admin.username},password={admin.password}]"
        # An argument file (0600, removed at once): the password never shows in a process list.
        argfile = self.data_dir / "format.args"
        args = ["kafka.tools.StorageTool", "format", "-t", _cluster_id(), "-c", str(props), "-S", scram]
        _write_private(argfile, "".join(f'"{arg}"\n' for arg in args))
        try:
            cmd = [java, *classpath, f"@{argfile}"]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        finally:
            argfile.unlink(missing_ok=True)
        if done.returncode != 0:
            raise InfraError(f"Kafka storage format failed:\n{done.stdout}{done.stderr}")

    def _wait_started(self, proc: subprocess.Popen[bytes], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            if port_open(self.port) and STARTED_MARKER in self.log_file.read_text(errors="replace"):
                say(f"Kafka started at {self.bootstrap}")
                return
            time.sleep(0.3)
        code = proc.poll()
        self.stop()
        why = f"exited with code {code}" if code is not None else f"not ready after {timeout:.0f} s"
        raise InfraError(
            f"Kafka {why}.\n"
            f"--- {self.log_file}\n{tail(self.log_file)}\n--- {self.out_file}\n{tail(self.out_file)}"
        )

    def stop(self, *, timeout: float = 30.0) -> bool:
        """Stop this data dir's broker (SIGTERM, then SIGKILL); True if one was running."""
        pid = read_pid(self.pid_file)
        if pid is not None:
            say(f"Stopping Kafka at {self.bootstrap} (pid {pid}) ...")
            terminate_group(pid, timeout=timeout)
        self.pid_file.unlink(missing_ok=True)
        return pid is not None
