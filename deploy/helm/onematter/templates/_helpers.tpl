{{/* The name every object of this release starts with. */}}
{{- define "onematter.fullname" -}}
{{- printf "%s-onematter" .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- end -}}

{{- define "onematter.labels" -}}
app.kubernetes.io/part-of: onematter
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* selector labels of one component: (dict "root" $ "name" "gateway") */}}
{{- define "onematter.selector" -}}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/name: {{ .name }}
{{- end -}}

{{- define "onematter.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .name .root.Values.image.tag -}}
{{- end -}}

{{- define "onematter.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "onematter.fullname" .)) -}}
{{- end -}}

{{/* http://<release>-onematter-<name>:8000 */}}
{{- define "onematter.url" -}}
{{- printf "http://%s-%s:8000" (include "onematter.fullname" .root) .name -}}
{{- end -}}

{{/* Pod and container hardening shared by every workload. */}}
{{- define "onematter.podSecurity" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "onematter.containerSecurity" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* The environment of a backend service: (dict "root" $ "name" "acceptance" "spec" $spec "migrate" "skip") */}}
{{- define "onematter.backendEnv" -}}
- name: ENVIRONMENT
  value: {{ .root.Values.environment | quote }}
- name: SERVICE_NAME
  value: {{ .name | quote }}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ .root.Values.kafka.bootstrapServers | quote }}
- name: KAFKA_TOPIC_PREFIX
  value: {{ .root.Values.kafka.topicPrefix | quote }}
- name: KAFKA_SECURITY_PROTOCOL
  value: {{ .root.Values.kafka.securityProtocol | quote }}
- name: KAFKA_SASL_MECHANISM
  value: {{ .root.Values.kafka.saslMechanism | quote }}
- name: KAFKA_USERNAME
  value: {{ printf "%s%s" .root.Values.kafka.usernamePrefix .name | quote }}
- name: KAFKA_PASSWORD_FILE
  value: /run/secrets/onematter/kafka_password
- name: RUN_WORKERS
  value: "true"
- name: LOG_JSON
  value: "true"
- name: DATABASE_URL
  value: {{ printf "postgresql+asyncpg://%s@%s:%v/%s" .spec.database .root.Values.postgres.host .root.Values.postgres.port .spec.database | quote }}
- name: DATABASE_PASSWORD_FILE
  value: /run/secrets/onematter/database_password
- name: INTERNAL_TOKEN_SECRET_FILE
  value: /run/secrets/onematter/internal_token_secret
- name: ONEMATTER_MIGRATE
  value: {{ .migrate | quote }}
{{- $urls := dict "matter-catalog" "CATALOG_URL" "acceptance" "ACCEPTANCE_URL" "material" "MATERIAL_URL" "notification" "NOTIFICATION_URL" "hotline" "HOTLINE_URL" }}
{{- range $callee := (.spec.calls | default list) }}
- name: {{ get $urls $callee }}
  value: {{ include "onematter.url" (dict "root" $.root "name" $callee) | quote }}
{{- end }}
{{- if eq .name "material" }}
- name: MATERIAL_STORAGE_DIR
  value: /var/lib/onematter/materials
{{- end }}
{{- range $key, $value := .spec.env }}
- name: {{ $key }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* Only the secret keys a backend needs, under the names its *_FILE variables give. */}}
{{- define "onematter.backendSecretVolume" -}}
- name: secrets
  secret:
    secretName: {{ include "onematter.secretName" .root }}
    defaultMode: 0440
    items:
      - key: internal_token_secret
        path: internal_token_secret
      - key: {{ printf "%s_db_password" .spec.database }}
        path: database_password
      - key: {{ printf "kafka_password_%s" .name }}
        path: kafka_password
- name: tmp
  emptyDir: {}
{{- end -}}
