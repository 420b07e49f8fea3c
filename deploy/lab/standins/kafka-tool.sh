#!/usr/bin/env bash
# kafka-topics.sh, kafka-consumer-groups.sh, kafka-storage.sh and kafka-server-start.sh of the stand-in:
# one JVM class each (the broker with KAFKA_HEAP_OPTS, 1 GB by default, as the real script).
set -euo pipefail
case "$(basename "$0")" in
  kafka-topics.sh) main=org.apache.kafka.tools.TopicCommand ;;
  kafka-consumer-groups.sh) main=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  kafka-storage.sh) main=kafka.tools.StorageTool ;;
  kafka-server-start.sh) main=kafka.Kafka; KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx1g -Xms1g}" ;;
  *) echo "unknown tool $0" >&2; exit 2 ;;
esac
exec java ${KAFKA_HEAP_OPTS:--Xmx256m} -Dlog4j.configuration=file:/opt/kafka/config/log4j.properties \
  -cp '/opt/kafka/libs/*' "$main" "$@"
