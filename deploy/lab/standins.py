"""Local stand-ins for the registry images, for machines where no container registry answers.

A minimal Debian root file system made by ``debootstrap`` (kept as a tar in the cache) is imported as
``onematter-standin/debian:bookworm``; on it, ``standins/*.Dockerfile`` build images that do what
``deploy/compose.yaml`` and ``deploy/Dockerfile`` use from the real ones. :func:`image_overrides` gives
the ``*_IMAGE`` variables that point compose at them.

Pinning, offline: a stand-in has no registry digest. What pins it is its recipe — the Dockerfile and
files here, hashed into the label ``onematter.standin.recipe`` (a changed recipe is rebuilt) — and the
Debian packages of the release it installs. The real images stay pinned by digest in compose.yaml.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from lab.engine import EngineError, PrivateEngine, cache_root

__all__ = ["BASE", "STANDINS", "build_standins", "image_overrides", "registry_answers"]

HERE = Path(__file__).resolve().parent / "standins"
BASE = "onematter-standin/debian:bookworm"
MIRROR = "http://deb.debian.org/debian"
#: compose variable → (stand-in image, its Dockerfile, the files its build context needs).
STANDINS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "PYTHON_IMAGE": ("onematter-standin/python:3.11-bookworm", "python.Dockerfile", ()),
    "POSTGRES_IMAGE": (
        "onematter-standin/postgres:15-bookworm",
        "postgres.Dockerfile",
        ("postgres-entrypoint.sh",),
    ),
    "KAFKA_IMAGE": (
        "onematter-standin/kafka:3.9.1",
        "kafka.Dockerfile",
        ("kafka-run.sh", "kafka-tool.sh", "log4j.properties", "kafka-pom.xml"),
    ),
    "PROXY_IMAGE": ("onematter-standin/nginx:bookworm", "nginx.Dockerfile", ()),
}


def registry_answers(url: str = "https://registry-1.docker.io/v2/", timeout: float = 5) -> bool:
    """True when Docker Hub's registry API answers at all (401 without a token is an answer)."""
    try:
        urllib.request.urlopen(url, timeout=timeout)  # noqa: S310 — fixed https URL
    except urllib.error.HTTPError as error:
        return error.code in {200, 401}
    except (OSError, ValueError):
        return False
    return True


def image_overrides() -> dict[str, str]:
    return {variable: image for variable, (image, _, _) in STANDINS.items()}


def _run(argv: list[str], **kwargs: object) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]  # noqa: S603
    if done.returncode != 0:
        raise EngineError(f"{' '.join(argv[:4])} … failed:\n{(done.stdout + done.stderr)[-3000:]}")


def _rootfs_tar(cache: Path) -> Path:
    """The debootstrapped root file system with this machine's extra CA certificates (made once)."""
    tar = cache / "debian-bookworm-rootfs.tar"
    if tar.exists():
        return tar
    rootfs = cache / "rootfs.tmp"
    shutil.rmtree(rootfs, ignore_errors=True)
    _run(
        ["debootstrap", "--variant=minbase", "--include=ca-certificates", "bookworm", str(rootfs), MIRROR],
        timeout=1800,
    )
    # A TLS-inspecting egress proxy's CA must be trusted inside builds as it is on the host.
    extra = Path("/usr/local/share/ca-certificates")
    if extra.is_dir() and any(extra.iterdir()):
        shutil.copytree(extra, rootfs / "usr/local/share/ca-certificates", dirs_exist_ok=True)
        _run(["chroot", str(rootfs), "update-ca-certificates"], timeout=300)
    _run(["tar", "-C", str(rootfs), "-cf", f"{tar}.part", "."], timeout=600)
    os.replace(f"{tar}.part", tar)
    shutil.rmtree(rootfs, ignore_errors=True)
    return tar


def _recipe(dockerfile: str, files: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for name in (dockerfile, *files):
        digest.update(name.encode() + b"\0" + (HERE / name).read_bytes())
    return digest.hexdigest()[:16]


def _label(engine: PrivateEngine, image: str) -> str | None:
    done = engine.docker(
        "image", "inspect", "-f", '{{index .Config.Labels "onematter.standin.recipe"}}', image
    )
    return done.stdout.strip() if done.returncode == 0 else None


def _kafka_jars(context: Path) -> None:
    libs = cache_root() / "kafka-standin-libs"
    if not (libs / "complete").exists():
        shutil.rmtree(libs, ignore_errors=True)
        _run(
            [
                "mvn",
                "-q",
                "-B",
                "-f",
                str(HERE / "kafka-pom.xml"),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={libs}",
                "-DincludeScope=runtime",
            ],
            timeout=1800,
        )
        (libs / "complete").write_text("3.9.1\n")
    shutil.copytree(libs, context / "libs", ignore=shutil.ignore_patterns("complete"))


def _build(engine: PrivateEngine, image: str, dockerfile: str, files: tuple[str, ...]) -> None:
    with tempfile.TemporaryDirectory(prefix="standin-") as directory:
        context = Path(directory)
        for name in (dockerfile, *files):
            shutil.copy2(HERE / name, context / name)
        if dockerfile == "kafka.Dockerfile":
            _kafka_jars(context)
        done = engine.docker(
            "build",
            "-f",
            str(context / dockerfile),
            "--build-arg",
            f"BASE={BASE}",
            "--label",
            f"onematter.standin.recipe={_recipe(dockerfile, files)}",
            "-t",
            image,
            str(context),
            timeout=1800,
        )
        if done.returncode != 0:
            raise EngineError(f"building {image} failed:\n{(done.stdout + done.stderr)[-4000:]}")


def build_standins(engine: PrivateEngine) -> list[str]:
    """Builds the stand-ins whose recipe changed or that are missing; returns the images built."""
    cache = cache_root()
    if engine.docker("image", "inspect", BASE).returncode != 0:
        with _rootfs_tar(cache).open("rb") as rootfs:
            done = engine.docker("import", "-c", 'CMD ["bash"]', "-", BASE, stdin=rootfs, timeout=900)
        if done.returncode != 0:
            raise EngineError(f"docker import failed: {done.stderr[-2000:]}")
    built = []
    for image, dockerfile, files in STANDINS.values():
        if _label(engine, image) != _recipe(dockerfile, files):
            _build(engine, image, dockerfile, files)
            built.append(image)
    return built
