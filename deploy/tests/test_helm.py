"""The Helm chart: ``helm lint`` and every rendering validated by kubeconform (deploy/helm/check.sh).

The tools come from the project's own script (deploy/helm/install-tools.sh: helm and kubeconform from
the Go module proxy, the Kubernetes schemas from PyPI), so a new machine needs only Go and pip.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

HELM = Path(__file__).resolve().parents[1] / "helm"
TOOLS = Path(os.environ.get("ONEMATTER_CACHE") or Path.home() / ".cache/onematter") / "tools"
BACKENDS = {"matter-catalog", "acceptance", "material", "notification", "hotline"}


@pytest.fixture(scope="module")
def tools() -> Path:
    done = subprocess.run([HELM / "install-tools.sh"], capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    return TOOLS


def _template(tools: Path, *args: str) -> list[dict[str, Any]]:
    done = subprocess.run(
        [tools / "bin/helm", "template", "onematter", HELM / "onematter", "--kube-version", "1.28.0", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def test_the_chart_lints_and_every_rendering_passes_kubeconform_strict(tools: Path) -> None:
    done = subprocess.run([HELM / "check.sh"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    summaries = [line for line in done.stdout.splitlines() if line.startswith("Summary:")]
    assert len(summaries) == 4 and all("Invalid: 0, Errors: 0, Skipped: 0" in s for s in summaries)


def test_kubeconform_refuses_a_manifest_with_an_unknown_field(tools: Path, tmp_path: Path) -> None:
    manifest = tmp_path / "bad.yaml"
    manifest.write_text("apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {portz: [{port: 80}]}\n")
    location = f"{tools}/kubernetes-json-schema/{{{{ .NormalizedKubernetesVersion }}}}-local-strict/"
    location += "{{ .ResourceKind }}{{ .KindSuffix }}.json"
    done = subprocess.run(
        [
            tools / "bin/kubeconform",
            "-strict",
            "-kubernetes-version",
            "1.28.0",
            "-schema-location",
            location,
            manifest,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "portz" in done.stdout


def test_every_service_is_a_deployment_with_replicas_and_health_and_readiness_probes(tools: Path) -> None:
    deployments = {
        d["metadata"]["labels"]["app.kubernetes.io/name"]: d
        for d in _template(tools)
        if d["kind"] == "Deployment"
    }
    assert set(deployments) == BACKENDS | {"gateway"}
    for name, deployment in deployments.items():
        assert deployment["spec"]["replicas"] >= 2, name
        [container] = deployment["spec"]["template"]["spec"]["containers"]
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True


def test_migrations_run_as_a_job_per_database_before_the_rollout(tools: Path) -> None:
    documents = _template(tools)
    jobs = [d for d in documents if d["kind"] == "Job"]
    assert {
        j["metadata"]["name"].removeprefix("onematter-onematter-").removesuffix("-migrate") for j in jobs
    } == BACKENDS
    for job in jobs:
        assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
        env = {e["name"]: e["value"] for e in job["spec"]["template"]["spec"]["containers"][0]["env"]}
        assert env["ONEMATTER_MIGRATE"] == "only"
    backends = [
        d
        for d in documents
        if d["kind"] == "Deployment" and d["metadata"]["name"] != "onematter-onematter-gateway"
    ]
    for deployment in backends:
        env = {e["name"]: e["value"] for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
        assert env["ONEMATTER_MIGRATE"] == "skip"


def test_secrets_are_files_from_a_kubernetes_secret_and_kafka_and_postgres_come_from_values(
    tools: Path,
) -> None:
    documents = _template(
        tools,
        "--set",
        "kafka.bootstrapServers=my-cluster-kafka-bootstrap:9092",
        "--set",
        "postgres.host=pg-rw",
        "--set",
        "secrets.existingSecret=ops",
    )
    assert not [d for d in documents if d["kind"] == "Secret"], "an operator's Secret is used as it is"
    catalog = next(
        d
        for d in documents
        if d["kind"] == "Deployment" and d["metadata"]["name"].endswith("-matter-catalog")
    )
    pod = catalog["spec"]["template"]["spec"]
    env = {e["name"]: e["value"] for e in pod["containers"][0]["env"]}
    assert env["KAFKA_BOOTSTRAP_SERVERS"] == "my-cluster-kafka-bootstrap:9092"
    assert env["DATABASE_URL"] == "postgresql+asyncpg://catalog@pg-rw:5432/catalog"
    assert env["DATABASE_PASSWORD_FILE"].startswith("/run/secrets/") and "PASSWORD" not in "".join(
        e["name"] for e in pod["containers"][0]["env"] if not e["name"].endswith("_FILE")
    )
    [secret] = [v["secret"] for v in pod["volumes"] if "secret" in v]
    assert secret["secretName"] == "ops"
    assert {i["key"] for i in secret["items"]} == {
        "internal_token_secret",
        "catalog_db_password",
        "kafka_password_matter-catalog",
    }


def test_each_backend_logs_in_to_kafka_as_its_own_principal_with_a_password_from_the_secret(
    tools: Path,
) -> None:
    documents = _template(tools, "--set", "kafka.securityProtocol=SASL_SSL")
    generated = next(d for d in documents if d["kind"] == "Secret")
    assert {f"kafka_password_{name}" for name in BACKENDS} <= set(generated["data"])
    for deployment in (d for d in documents if d["kind"] == "Deployment"):
        name = deployment["metadata"]["labels"]["app.kubernetes.io/name"]
        pod = deployment["spec"]["template"]["spec"]
        env = {e["name"]: e["value"] for e in pod["containers"][0]["env"]}
        if name == "gateway":
            assert not {k for k in env if k.startswith("KAFKA_")}, "the gateway has no Kafka client"
            continue
        assert env["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL" and env["KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
        assert env["KAFKA_USERNAME"] == f"svc-{name}"
        assert env["KAFKA_PASSWORD_FILE"] == "/run/secrets/onematter/kafka_password"
        [secret] = [v["secret"] for v in pod["volumes"] if "secret" in v]
        assert {"key": f"kafka_password_{name}", "path": "kafka_password"} in secret["items"]


#: Who calls whom inside the cluster, read from the services' settings (not from the chart): acceptance asks
#: the catalog for a matter it has not heard of and material for an applicant's locker; material asks
#: acceptance whether a delegation is in force; notification asks the catalog for names it has not received.
CALLS = {
    "acceptance": {"CATALOG_URL": "matter-catalog", "MATERIAL_URL": "material"},
    "material": {"ACCEPTANCE_URL": "acceptance"},
    "notification": {"CATALOG_URL": "matter-catalog"},
    "matter-catalog": {},
    "hotline": {},
}


def test_each_backend_knows_where_the_services_it_calls_are_and_their_policies_let_it_in(tools: Path) -> None:
    documents = _template(tools, "--set", "networkPolicy.enabled=true")
    # Every object is named <release fullname>-<component>: the gateway's deployment tells the prefix.
    prefix = next(
        d for d in documents if d["kind"] == "Deployment" and d["metadata"]["name"].endswith("-gateway")
    )
    fullname = prefix["metadata"]["name"].removesuffix("-gateway")
    for deployment in (d for d in documents if d["kind"] == "Deployment"):
        name = deployment["metadata"]["labels"]["app.kubernetes.io/name"]
        if name not in BACKENDS:
            continue
        env = {e["name"]: e["value"] for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
        for variable, callee in CALLS[name].items():
            assert env[variable] == f"http://{fullname}-{callee}:8000", (name, variable)
    for policy in (d for d in documents if d["kind"] == "NetworkPolicy"):
        callee = policy["metadata"]["name"].removeprefix(f"{fullname}-")
        admitted = {
            p["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
            for p in policy["spec"]["ingress"][0]["from"]
        }
        assert admitted == {"gateway"} | {
            caller for caller, calls in CALLS.items() if callee in calls.values()
        }
