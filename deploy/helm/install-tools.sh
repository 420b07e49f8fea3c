#!/usr/bin/env bash
# helm and kubeconform built from the Go module proxy with this machine's Go, and the Kubernetes JSON
# schemas from the kubernetes-validate wheel on PyPI (no other source of them is reachable here), into
# $ONEMATTER_CACHE/tools (default ~/.cache/onematter/tools). Pinned versions; each step runs once.
# The wheel's schemas refer to their shared definitions as "/api/_definitions.json#…", which kubeconform
# cannot load; they are rewritten to the file's absolute file:// address on extraction.
set -euo pipefail
HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.7.0
SCHEMAS_VERSION=1.37.0
SCHEMAS_SHA256=85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9
# The Kubernetes versions deploy/helm/check.sh validates against: the chart's oldest and a recent one.
KUBERNETES_VERSIONS="${KUBERNETES_VERSIONS:-1.28.0 1.34.0}"

tools="${ONEMATTER_CACHE:-$HOME/.cache/onematter}/tools"
mkdir -p "$tools/bin"

go_install() {  # go_install <binary> <module path>@<version>
  local stamp="$tools/bin/.$1-${2##*@}"
  [ -x "$tools/bin/$1" ] && [ -f "$stamp" ] && return
  command -v go >/dev/null || { echo "Go 1.24+ is needed to build $1 (https://go.dev/dl or the machine's Go)" >&2; exit 1; }
  echo "building $1 ${2##*@} from the Go module proxy (once) ..." >&2
  (cd "$tools" && GOBIN="$tools/bin" GOFLAGS=-buildvcs=false nice go install "$2")
  touch "$stamp"
}
go_install helm "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
go_install kubeconform "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"

schemas="$tools/kubernetes-json-schema"
for version in $KUBERNETES_VERSIONS; do
  [ -f "$schemas/v$version-local-strict/deployment-apps-v1.json" ] && continue
  download="$(mktemp -d)"
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$download" "kubernetes-validate==$SCHEMAS_VERSION"
  wheel="$(echo "$download"/kubernetes_validate-*.whl)"
  echo "$SCHEMAS_SHA256  $wheel" | sha256sum --check --quiet
  python3 - "$wheel" "$schemas" $KUBERNETES_VERSIONS <<'PY'
import sys, zipfile
from pathlib import Path
wheel, target, versions = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
prefixes = [f"kubernetes_validate/kubernetes-json-schema/v{v}-local-strict/" for v in versions]
with zipfile.ZipFile(wheel) as archive:
    for name in archive.namelist():
        if any(name.startswith(p) for p in prefixes) and name.endswith(".json"):
            out = target / name.removeprefix("kubernetes_validate/kubernetes-json-schema/")
            out.parent.mkdir(parents=True, exist_ok=True)
            text = archive.read(name).decode()
            definitions = (out.parent / "_definitions.json").resolve().as_uri()
            out.write_text(text.replace('"/api/_definitions.json#', f'"{definitions}#'))
PY
  rm -rf "$download"
  break  # one download extracts every version
done
echo "$tools/bin"
