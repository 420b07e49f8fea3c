"""The compose stack as the operator runs it (``make up`` / ``make down``), on a private engine.

The settings live in a directory of the test's own (``DEPLOY_ENV`` points ``make`` at it), made by
``gen_env.py`` like an operator's, so a developer's ``deploy/.env`` is never read nor changed.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from lab.engine import EngineError, PrivateEngine

__all__ = ["ComposeStack", "free_port"]

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = "docker-compose"  # Debian's 1.29: an apt-get away on every machine (v2 needs a Go build)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class ComposeStack:
    engine: PrivateEngine
    env_file: Path
    overrides: dict[str, str] = field(default_factory=dict)
    project: str = "onematter"

    def env(self) -> dict[str, str]:
        return {
            **self.engine.env(),
            **self.overrides,
            "COMPOSE_PROJECT_NAME": self.project,
            "COMPOSE": COMPOSE,
            "DEPLOY_ENV": str(self.env_file),
        }

    def make_env(self) -> None:
        """What ``make up`` runs first: ``.env`` and the secrets, as a first install makes them."""
        subprocess.run(  # noqa: S603
            ["python3", str(ROOT / "deploy/gen_env.py"), str(self.env_file)],  # noqa: S607
            check=True,
            capture_output=True,
            timeout=120,
        )

    def make(
        self, target: str, *, variables: dict[str, str] | None = None, timeout: float = 1800
    ) -> subprocess.CompletedProcess[str]:
        assignments = [f"{name}={value}" for name, value in (variables or {}).items()]
        done = subprocess.run(  # noqa: S603
            ["make", "--no-print-directory", target, *assignments],  # noqa: S607
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise EngineError(f"make {target} failed:\n{(done.stdout + done.stderr)[-6000:]}")
        return done

    def compose(
        self, *args: str, timeout: float = 600, stdin: IO[bytes] | None = None
    ) -> subprocess.CompletedProcess[str]:
        argv = [COMPOSE, "-f", str(ROOT / "deploy/compose.yaml"), "--env-file", str(self.env_file), *args]
        return subprocess.run(  # noqa: S603
            argv,
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=stdin,
        )

    def set(self, **settings: str) -> None:
        """Changes settings in the stack's ``.env`` (as an operator edits it)."""
        lines = self.env_file.read_text().splitlines()
        kept = [line for line in lines if line.split("=", 1)[0] not in settings]
        self.env_file.write_text("\n".join([*kept, *(f"{k}={v}" for k, v in settings.items())]) + "\n")

    def containers(self, *, all_states: bool = False) -> list[dict[str, object]]:
        """``docker inspect`` of the project's containers."""
        ids = self.engine.docker(
            "ps",
            *(["-a"] if all_states else []),
            "-q",
            "--filter",
            f"label=com.docker.compose.project={self.project}",
        ).stdout.split()
        return json.loads(self.engine.docker("inspect", *ids).stdout) if ids else []

    def wait_healthy(self, *, timeout: float = 600) -> list[dict[str, object]]:
        """Waits until every long-running container is healthy; one-shots must have exited 0."""
        deadline = time.monotonic() + timeout
        while True:
            containers = self.containers(all_states=True)
            states = {c["Name"]: _state(c) for c in containers}
            if containers and all(s in {"healthy", "exited 0"} for s in states.values()):
                return containers
            if time.monotonic() > deadline:
                raise EngineError(f"not healthy after {timeout:.0f} s: {states}\n{self.logs()}")
            time.sleep(2)

    def logs(self, *services: str, tail: int = 40) -> str:
        return self.compose("logs", "--no-color", f"--tail={tail}", *services).stdout[-8000:]

    def exec(self, service: str, command: str, *, index: int = 1) -> subprocess.CompletedProcess[str]:
        return self.compose("exec", "-T", f"--index={index}", service, "bash", "-c", command)


def _state(container: dict[str, object]) -> str:
    state = container["State"]
    assert isinstance(state, dict)
    if "Health" in state:
        return str(state["Health"]["Status"])
    return f"exited {state['ExitCode']}" if state["Status"] == "exited" else str(state["Status"])
