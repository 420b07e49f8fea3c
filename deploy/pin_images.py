"""Pin every registry image of the deployment to the digest its tag names today.

``python3 deploy/pin_images.py [--check]`` (standard library only). The images are the defaults of the
``*_IMAGE`` variables in ``compose.yaml`` (``${KAFKA_IMAGE:-apache/kafka:3.9.1@sha256:…}``) and
``ARG PYTHON_IMAGE=`` in the Dockerfile. For each, the registry's v2 API is asked for the manifest of the
tag (anonymous pull token for Docker Hub) and the ``Docker-Content-Digest`` it answers replaces the
digest after ``@``; the tag stays, for people. Review the diff and commit it, then rebuild.
``--check`` only reports images whose digest moved. Where no registry answers it says so and changes
nothing: the offline compose test runs on stand-ins instead (deploy/lab/standins.py).
"""

from __future__ import annotations

import json
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path

__all__ = ["IMAGE_PATTERN", "image_references", "resolve_digest"]

HERE = Path(__file__).resolve().parent
FILES = (HERE / "compose.yaml", HERE / "Dockerfile")
#: ``name:tag`` optionally followed by ``@sha256:<64 hex>``, as a variable's default or an ARG's value.
IMAGE_PATTERN = re.compile(
    r"(?:_IMAGE:-|ARG PYTHON_IMAGE=)(?P<name>[a-z0-9./_-]+):(?P<tag>[A-Za-z0-9._-]+)"
    r"(?:@(?P<digest>sha256:[0-9a-f]{64}))?"
)
_ACCEPT = ", ".join(
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
    ]
)


def image_references(text: str) -> list[tuple[str, str, str | None]]:
    """``(name, tag, digest or None)`` for each pinnable image in ``text``."""
    return [(m["name"], m["tag"], m["digest"]) for m in IMAGE_PATTERN.finditer(text)]


def _registry_and_repository(name: str) -> tuple[str, str]:
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first):
        return first, rest
    return "registry-1.docker.io", name if "/" in name else f"library/{name}"


def _token(registry: str, repository: str) -> str | None:
    if registry != "registry-1.docker.io":
        return None  # other registries (ghcr.io, quay.io) answer anonymous pulls with their own challenge
    url = f"https://auth.docker.io/token?service=registry.docker.io&scope=repository:{repository}:pull"
    with urllib.request.urlopen(url, timeout=20) as response:
        return str(json.load(response)["token"])


def resolve_digest(name: str, tag: str) -> str:
    """The digest the registry gives for ``name:tag`` now (the multi-platform index when there is one)."""
    registry, repository = _registry_and_repository(name)
    request = urllib.request.Request(
        f"https://{registry}/v2/{repository}/manifests/{tag}", method="HEAD", headers={"Accept": _ACCEPT}
    )
    token = _token(registry, repository)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        return str(response.headers["Docker-Content-Digest"])


def main(argv: list[str]) -> int:
    check = "--check" in argv
    moved = 0
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        for name, tag, digest in sorted(set(image_references(text))):
            try:
                current = resolve_digest(name, tag)
            except (OSError, urllib.error.URLError, KeyError) as exc:
                print(f"{name}:{tag}: no registry answer ({exc}); left as it is", file=sys.stderr)
                continue
            if current != digest:
                moved += 1
                print(f"{path.name}: {name}:{tag} {digest or '(unpinned)'} -> {current}")
                old = f"{name}:{tag}@{digest}" if digest else f"{name}:{tag}"
                text = re.sub(re.escape(old) + r"(?![@\w])", f"{name}:{tag}@{current}", text)
        if not check:
            path.write_text(text, encoding="utf-8")
    return 1 if check and moved else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
