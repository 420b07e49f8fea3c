"""The Apache Kafka jars from Maven Central, resolved once with Maven into a cache folder."""

# ruff: noqa: S603 - every subprocess runs a fixed command line built here, no shell

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from onematter_devtools._process import InfraError, say

__all__ = ["KAFKA_VERSION", "ensure_jars", "require"]

KAFKA_VERSION = "3.9.1"
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
