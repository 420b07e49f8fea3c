"""deploy/lab: the private engine's environment and the stand-ins cover what compose pulls."""

from __future__ import annotations

import re
from pathlib import Path

from lab.engine import PrivateEngine
from lab.stack import _state
from lab.standins import STANDINS, image_overrides, registry_answers

DEPLOY = Path(__file__).resolve().parents[1]


def test_every_registry_image_outside_the_dev_profile_has_a_stand_in() -> None:
    text = (DEPLOY / "compose.yaml").read_text()
    variables = set(re.findall(r"\$\{([A-Z]+_IMAGE):-", text)) - {"MAILPIT_IMAGE"}
    assert variables == set(STANDINS) == set(image_overrides())
    assert all(image.startswith("onematter-standin/") for image in image_overrides().values())


def test_the_engine_is_reached_by_its_own_socket_with_the_cli_that_has_buildkit(tmp_path: Path) -> None:
    engine = PrivateEngine(data_root=tmp_path / "data", exec_root=tmp_path / "exec")
    env = engine.env()
    assert env["DOCKER_HOST"] == f"unix://{tmp_path}/exec/docker.sock"
    assert env["PATH"].startswith("/usr/bin:") and env["DOCKER_BUILDKIT"] == "1"
    # docker-compose 1.29's own API client would swallow the stdin a restore pipes into `exec -T`.
    assert "COMPOSE_INTERACTIVE_NO_CLI" not in env
    assert engine.pid_file == tmp_path / "dockerd.pid"


def test_a_container_counts_as_done_when_healthy_or_a_one_shot_exited_zero() -> None:
    assert _state({"State": {"Status": "running", "Health": {"Status": "healthy"}}}) == "healthy"
    assert _state({"State": {"Status": "exited", "ExitCode": 0}}) == "exited 0"
    assert _state({"State": {"Status": "exited", "ExitCode": 1}}) == "exited 1"
    assert _state({"State": {"Status": "running"}}) == "running"


def test_an_unreachable_registry_is_told_apart_quickly() -> None:
    assert registry_answers("https://registry.invalid/v2/", timeout=2) is False
