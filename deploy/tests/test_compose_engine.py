"""The compose deployment in a real Docker engine, as an operator runs it (issue 26).

A private engine (deploy/lab/engine.py) runs ``make up`` with settings made by ``gen_env.py``; where
no container registry answers, the base images are local stand-ins (deploy/lab/standins.py). The tests
run in file order on one stack: healthy and ready → 新生儿出生一件事 submitted and approved through the
TLS proxy → a department reads its task with its own Kafka login and is refused another's topic, a
service login cannot write another service's topic → two services scaled to two replicas split their
partitions and a killed replica loses no event → back up, lose every volume, restore → production
defaults → ``make down`` leaves nothing.

``ONEMATTER_COMPOSE_TEST=0`` skips this module (a developer without root); CI runs it as root.
"""

from __future__ import annotations

import json
import os
import re
import ssl
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lab import kafka_probe
from lab.engine import PrivateEngine, ensure_packages
from lab.stack import ComposeStack, free_port
from lab.standins import build_standins, image_overrides, registry_answers
from lab.timing import timed
from onematter_testkit import wait_for
from onematter_testkit.applicant import submit_matter

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timeout(3600),
    pytest.mark.skipif(os.environ.get("ONEMATTER_COMPOSE_TEST") == "0", reason="ONEMATTER_COMPOSE_TEST=0"),
]

MATTER = "newborn-birth"
SERVICES = {
    "postgres",
    "kafka",
    "kafka-init",
    "matter-catalog-service",
    "acceptance-service",
    "material-service",
    "notification-service",
    "hotline-service",
    "gateway",
    "proxy",
}
SCALED = ("acceptance-service", "notification-service")
#: What the module learns on the way, for the later tests (they run in file order on one stack).
seen: dict[str, object] = {}


@pytest.fixture(scope="module")
def engine() -> Iterator[PrivateEngine]:
    if os.geteuid() != 0:
        pytest.fail("the compose test starts a Docker engine as root (ONEMATTER_COMPOSE_TEST=0 skips it)")
    with timed("engine: packages + start"):
        ensure_packages({"debootstrap": "/usr/sbin/debootstrap"})
        engine = PrivateEngine()
        engine.start()
    try:
        yield engine
    finally:
        with timed("engine: stop"):
            # Images replaced by this run's builds; the rest stays as the next run's cache.
            engine.docker("image", "prune", "--force")
            engine.stop()


@pytest.fixture(scope="module")
def stack(engine: PrivateEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ComposeStack]:
    overrides: dict[str, str] = {}
    if not registry_answers():
        with timed("stand-in base images (no registry answers)"):
            build_standins(engine)
        overrides = image_overrides()
    env_file = tmp_path_factory.mktemp("operator") / ".env"
    stack = ComposeStack(engine, env_file, overrides)
    stack.compose("down", "-v", "--remove-orphans")  # what an interrupted earlier run left
    # As an operator trying it locally: the explicit opt-in to the demo identity provider.
    stack.make_env()
    stack.set(
        ENVIRONMENT="development",
        DEV_IDENTITY_PROVIDER="true",
        GATEWAY_PORT=str(free_port()),
        HTTPS_PORT=str(free_port()),
    )
    try:
        with timed("make up (build + start)"):
            stack.make("up")
        with timed("all containers healthy"):
            stack.wait_healthy()
        yield stack
    finally:
        stack.compose("down", "-v", "--remove-orphans", timeout=300)


def _settings(stack: ComposeStack) -> dict[str, str]:
    lines = stack.env_file.read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if re.match(r"^[A-Z_]+=", line))


def gateway_url(stack: ComposeStack) -> str:
    return f"http://127.0.0.1:{_settings(stack)['GATEWAY_PORT']}"


def tls_proxy(stack: ComposeStack) -> tuple[str, ssl.SSLContext]:
    """The proxy's address, trusting exactly the self-signed certificate gen_env.py made."""
    settings = _settings(stack)
    certificate = Path(settings["SECRETS_DIR"]) / "tls.crt"
    return f"https://localhost:{settings['HTTPS_PORT']}", ssl.create_default_context(cafile=str(certificate))


def https_client(stack: ComposeStack) -> httpx.AsyncClient:
    url, trust = tls_proxy(stack)
    return httpx.AsyncClient(base_url=url, verify=trust, timeout=30)


async def login(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    response = await client.post("/auth/token", json={"username": username, "password": "demo"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_every_container_is_healthy_and_the_gateway_is_ready(stack: ComposeStack) -> None:
    containers = stack.containers(all_states=True)
    services = {c["Config"]["Labels"]["com.docker.compose.service"] for c in containers}
    assert services == SERVICES
    ready = httpx.get(f"{gateway_url(stack)}/readyz", timeout=10)
    assert ready.status_code == 200 and ready.json()["status"] == "ready", ready.text
    assert set(ready.json()["services"].values()) == {"ready"}


async def _newborn_birth(client: httpx.AsyncClient, zhangsan: dict[str, str]) -> dict[str, object]:
    submission = await submit_matter(client, zhangsan, MATTER)
    assert submission.response.status_code == 201, submission.response.text
    return {**submission.response.json(), "materials": submission.materials}


async def test_newborn_birth_is_submitted_and_approved_through_the_tls_proxy(stack: ComposeStack) -> None:
    async with https_client(stack) as client:
        zhangsan = await login(client, "zhangsan")
        application = await _newborn_birth(client, zhangsan)
        number = application["acceptance_number"]
        assert sorted(t["department"] for t in application["tasks"]) == [
            "mohrss",
            "mps",
            "ndcpa",
            "nhc",
            "nhsa",
        ]
        for task in application["tasks"]:
            officer = await login(client, f"officer-{task['department']}")
            approved = await client.post(f"/api/v1/tasks/{task['id']}/approve", json={}, headers=officer)
            assert approved.status_code == 200, approved.text
        detail = (await client.get(f"/api/v1/applications/{number}", headers=zhangsan)).json()
        assert detail["status"] == "completed", detail
    seen["number"], seen["material"] = number, next(iter(application["materials"].values()))


def test_a_department_reads_its_task_with_its_kafka_login_and_nothing_else(stack: ComposeStack) -> None:
    """Issue 16: dept-mps reads onematter.tasks.mps and is refused onematter.tasks.nhc; svc-notification
    cannot write onematter.applications (acceptance's). Tried from a container on the compose network
    (kafka-init's image: confluent-kafka and the password files), as a department's consumer would."""
    probe = Path(kafka_probe.__file__).read_text(encoding="utf-8")
    args = ["kafka:9092", "/run/secrets/kafka", "mps", "nhc", str(seen["number"]), "notification"]
    with timed("department and service Kafka logins tried"):
        done = stack.compose(
            "run", "--rm", "--no-deps", "-T", "--entrypoint", "python", "kafka-init", "-c", probe,
            *args, "onematter.applications",
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome == {
        "own": "gov.onematter.task.assigned",
        "other": "TOPIC_AUTHORIZATION_FAILED",
        "write": "TOPIC_AUTHORIZATION_FAILED",
    }


def _partition_owners(stack: ComposeStack) -> dict[tuple[str, str], list[int]]:
    """(consumer group, topic) → partitions per member, from kafka-consumer-groups.sh in the broker."""
    done = stack.exec(
        "kafka",
        # As the super-user, with the client login deploy/kafka/entrypoint.sh leaves for the operator's tools.
        "/opt/kafka/bin/kafka-consumer-groups.sh --bootstrap-server kafka:9092 "
        "--command-config /tmp/onematter-kafka/admin.properties --describe --all-groups 2>/dev/null",
    )
    owners: dict[tuple[str, str], Counter[str]] = {}
    for line in done.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 7 and fields[2].isdigit() and fields[6] != "-":
            owners.setdefault((fields[0], fields[1]), Counter())[fields[6]] += 1
    return {key: sorted(counter.values()) for key, counter in owners.items()}


async def test_two_replicas_split_the_partitions_and_a_killed_one_loses_nothing(stack: ComposeStack) -> None:
    scale = [arg for service in SCALED for arg in ("--scale", f"{service}=2")]
    with timed("scale two services to 2 replicas"):
        scaled = stack.compose("up", "-d", "--no-build", "--no-deps", *scale, *SCALED)
        assert scaled.returncode == 0, scaled.stderr[-3000:]
        stack.wait_healthy()

    async def split() -> dict[tuple[str, str], list[int]] | None:
        owners = _partition_owners(stack)
        halves = {group.split(".")[0] for (group, _), counts in owners.items() if counts == [3, 3]}
        return owners if {"acceptance", "notification"} <= halves else None

    owners = await wait_for(split, timeout=180, interval=5, message="both services' groups split 3/3")
    print("partitions per replica:", owners)
    victim = stack.compose("ps", "-q", "notification-service").stdout.split()[-1]
    stack.engine.docker("kill", "--signal", "KILL", victim)
    async with httpx.AsyncClient(base_url=gateway_url(stack), timeout=30) as client:
        zhangsan = await login(client, "zhangsan")
        ids = [str((await _newborn_birth(client, zhangsan))["id"]) for _ in range(4)]

        async def every_application_notified() -> Counter[str] | None:
            response = await client.get("/api/v1/notifications", params={"limit": 100}, headers=zhangsan)
            counts = Counter(m["application_id"] for m in response.json()["items"])
            return counts if all(counts[i] >= 1 for i in ids) else None

        counts = await wait_for(
            every_application_notified,
            timeout=180,
            interval=2,
            message="a notification for every application after the kill",
        )
    assert all(counts[i] == 1 for i in ids), f"each acceptance message exactly once: {counts}"


def test_a_backup_survives_the_loss_of_every_volume(stack: ComposeStack, tmp_path: Path) -> None:
    backup = tmp_path / "backup"
    with timed("backup"):
        stack.make("backup", variables={"BACKUP_DIR": str(backup)})
    assert {p.name for p in backup.iterdir()} >= {"catalog.dump", "acceptance.dump", "materials.tar"}
    assert all(p.stat().st_mode & 0o077 == 0 for p in backup.iterdir()), "backups are owner-only"
    with timed("destroy every container and volume"):
        destroyed = stack.compose("down", "-v")
        assert destroyed.returncode == 0, destroyed.stderr[-3000:]
    assert not stack.engine.docker(
        "volume", "ls", "-q", "--filter", "label=com.docker.compose.project=onematter"
    ).stdout.split()
    with timed("restore + healthy"):
        stack.make("restore", variables={"BACKUP_DIR": str(backup)})
        stack.wait_healthy()
    zhangsan = _sync_login(stack, "zhangsan")
    detail = httpx.get(f"{gateway_url(stack)}/api/v1/applications/{seen['number']}", headers=zhangsan)
    assert detail.status_code == 200 and detail.json()["status"] == "completed", detail.text
    content = httpx.get(f"{gateway_url(stack)}/api/v1/materials/{seen['material']}/content", headers=zhangsan)
    assert content.status_code == 200 and content.content.startswith(b"%PDF-1.7"), content.status_code


def _sync_login(stack: ComposeStack, username: str) -> dict[str, str]:
    response = httpx.post(f"{gateway_url(stack)}/auth/token", json={"username": username, "password": "demo"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_production_is_the_default_and_no_secret_is_in_the_container_environment(stack: ComposeStack) -> None:
    # Back to what gen_env.py writes, with the issuer production insists on (fetched only when a token comes).
    stack.set(
        ENVIRONMENT="production", DEV_IDENTITY_PROVIDER="false", JWKS_URL="https://idp.example.invalid/certs"
    )
    with timed("gateway recreated in production"):
        recreated = stack.compose("up", "-d", "--no-deps", "gateway")
        assert recreated.returncode == 0, recreated.stderr[-3000:]
        stack.wait_healthy()
    # The demo login is gone: no route (the front-end mounted at / answers 405 to a POST), none documented.
    login = httpx.post(f"{gateway_url(stack)}/auth/token", json={"username": "admin", "password": "demo"})
    assert login.status_code in {404, 405}, "the demo identity provider must be off in production"
    assert "/auth/token" not in httpx.get(f"{gateway_url(stack)}/openapi.json", timeout=30).json()["paths"]
    url, trust = tls_proxy(stack)  # the proxy finds the recreated gateway by itself
    assert httpx.get(f"{url}/readyz", verify=trust, timeout=30).status_code == 200
    inspected = {c["Config"]["Labels"]["com.docker.compose.service"]: c for c in stack.containers()}
    for service in ("gateway", "proxy"):
        bindings = [b for ports in inspected[service]["HostConfig"]["PortBindings"].values() for b in ports]
        assert {b["HostIp"] for b in bindings} == {"127.0.0.1"}, f"{service} is published beyond loopback"
    secrets_dir = Path(_settings(stack)["SECRETS_DIR"])
    files = [p for p in secrets_dir.rglob("*") if p.is_file() and p.name != "tls.crt"]
    values = {str(p.relative_to(secrets_dir)): p.read_text().strip() for p in files}
    assert "kafka/admin" in values and "kafka/dept-mps" in values
    text = json.dumps(list(inspected.values())) + stack.compose("config").stdout
    assert [name for name, value in values.items() if value in text] == []
    secret_variables = {"INTERNAL_TOKEN_SECRET", "METRICS_TOKEN", "POSTGRES_PASSWORD", "KAFKA_PASSWORD"}
    assert all(
        e.split("=", 1)[0] not in secret_variables for c in inspected.values() for e in c["Config"]["Env"]
    )


def test_make_down_leaves_no_container(stack: ComposeStack) -> None:
    with timed("make down"):
        stack.make("down")
    assert stack.containers(all_states=True) == []
