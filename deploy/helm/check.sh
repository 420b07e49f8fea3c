#!/usr/bin/env bash
# helm lint, then every rendering of the chart validated by kubeconform against the Kubernetes schemas
# (strict: unknown fields are errors), for each Kubernetes version install-tools.sh fetched.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="${ONEMATTER_CACHE:-$HOME/.cache/onematter}/tools"
helm="$tools/bin/helm" kubeconform="$tools/bin/kubeconform"
chart="$here/onematter"
export HELM_CACHE_HOME="$tools/helm/cache" HELM_CONFIG_HOME="$tools/helm/config" HELM_DATA_HOME="$tools/helm/data"

"$helm" lint --strict "$chart"
location="$tools/kubernetes-json-schema/{{ .NormalizedKubernetesVersion }}-local-strict/{{ .ResourceKind }}{{ .KindSuffix }}.json"
# The default values, and the other branches: an operator's Secret, migrations on start, no policies.
variants=("" "--set secrets.existingSecret=ops-secret --set migrations.job=false --set networkPolicy.enabled=false")
for version in ${KUBERNETES_VERSIONS:-1.28.0 1.34.0}; do
  for variant in "${variants[@]}"; do
    # shellcheck disable=SC2086 # each variant is several arguments
    "$helm" template onematter "$chart" --namespace onematter --kube-version "$version" $variant \
      | "$kubeconform" -strict -summary -kubernetes-version "$version" -schema-location "$location"
  done
done
