"""A single-node Apache Kafka broker in KRaft combined mode, from the real jars on Maven Central.

The jars are resolved once with Maven into `$ONEMATTER_CACHE/kafka-<version>/libs`
(default `~/.cache/onematter`); a stamp file marks a complete download, so a broken one is redone.
The broker runs detached in its own session: it outlives the Python process that started it
until `KafkaBroker.stop()` is called. Its data, logs and pid file live in `data_dir`.
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

__all__ = ["KAFKA_VERSION", "KafkaBroker", "ensure_jars"]

KAFKA_VERSION = "3.9.1"
STARTED_MARKER = "Kafka Server started"  # "[KafkaRaftServer nodeId=1] Kafka Server started (...)"
_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.onematter</groupId><artifactId>kafka-broker</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId>
      <version>{version}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId>
      <version>1.7.36</version></dependency>
  </dependencies>
</project>
"""


def require(tool: str, hint: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise InfraError(f"`{tool}` is not on PATH; {hint}")
    return path


def ensure_jars(cache_dir: Path | None = None) -> Path:
    """The folder holding the broker jars, downloading them with Maven the first time."""
    home = cache_dir or Path(os.environ.get("ONEMATTER_CACHE") or Path.home() / ".cache/onematter")
    home = home / f"kafka-{KAFKA_VERSION}"
    libs, stamp = home / "libs", home / "libs.complete"
    if stamp.exists():
        return libs
    mvn = require("mvn", "install Maven (apt-get install maven) to fetch the Kafka jars")
    say(f"Fetching Apache Kafka {KAFKA_VERSION} jars from Maven Central into {libs} (once) ...")
    shutil.rmtree(libs, ignore_errors=True)
    home.mkdir(parents=True, exist_ok=True)
    (home / "pom.xml").write_text(_POM.format(version=KAFKA_VERSION))
    cmd = [
        mvn,
        "-q",
        "-B",
        "-f",
        str(home / "pom.xml"),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={libs}",
        "-DincludeScope=runtime",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not any(libs.glob("kafka_2.13-*.jar")):
        raise InfraError(f"Maven could not fetch the Kafka jars:\n{(done.stdout + done.stderr)[-3000:]}")
    stamp.write_text(KAFKA_VERSION + "\n")
    return libs


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

    def server_properties(self) -> str:
        c = self.controller_port
        props = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@127.0.0.1:{c}",
            "listeners": f"PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{c}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{self.port}",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "log.dirs": str(self.data_dir / "data"),
            "num.partitions": "1",
            "auto.create.topics.enable": "false",
            "offsets.topic.replication.factor": "1",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "group.initial.rebalance.delay.ms": "0",
        }
        return "".join(f"{key}={value}\n" for key, value in props.items())

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
            say(f"Kafka already running at {self.bootstrap} (reused)")
            return False
        self.stop()  # a live pid whose port does not answer is a broken broker
        if port_open(self.port) or port_open(self.controller_port):
            raise InfraError(f"port {self.port} or {self.controller_port} is taken by another process")
        java = require("java", "install Java 17 (apt-get install openjdk-17-jre-headless)")
        libs = ensure_jars()
        if self.fresh:
            shutil.rmtree(self.data_dir / "data", ignore_errors=True)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        props = self.data_dir / "server.properties"
        props.write_text(self.server_properties())
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

    def _format(self, java: str, classpath: list[str], props: Path) -> None:
        if (self.data_dir / "data" / "meta.properties").exists():
            return
        cmd = [java, *classpath, "kafka.tools.StorageTool", "format", "-t", _cluster_id(), "-c", str(props)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
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
