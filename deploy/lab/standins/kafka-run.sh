#!/usr/bin/env bash
# KAFKA_FOO_BAR=x becomes foo.bar=x in server.properties (as in the official image: "__" is "_", "___"
# is "-"); CLUSTER_ID formats the log directory on first start.
set -euo pipefail
props=/opt/kafka/config/server.properties
: > "$props"
while IFS='=' read -r name value; do
  case "$name" in KAFKA_HEAP_OPTS|KAFKA_OPTS|KAFKA_JVM_*|KAFKA_LOG4J_*) continue ;; esac
  key="$(echo "${name#KAFKA_}" | tr '[:upper:]' '[:lower:]' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')"
  echo "$key=$value" >> "$props"
done < <(env | grep '^KAFKA_')
logs="$(sed -n 's/^log\.dirs=//p' "$props")"
if [ ! -f "${logs:-/tmp/kraft-combined-logs}/meta.properties" ]; then
  /opt/kafka/bin/kafka-storage.sh format --ignore-formatted -t "${CLUSTER_ID:?}" -c "$props"
fi
exec java ${KAFKA_HEAP_OPTS:--Xmx1g} -Dlog4j.configuration=file:/opt/kafka/config/log4j.properties \
  -cp '/opt/kafka/libs/*' kafka.Kafka "$props"
