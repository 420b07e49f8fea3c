# Stand-in for apache/kafka:3.9.1: the broker and tools jars from Maven Central on Debian's Java 17, with
# the official image's conventions that deploy/compose.yaml uses (KAFKA_* variables become
# server.properties, CLUSTER_ID formats the storage once, /opt/kafka/bin/kafka-*.sh, the unprivileged
# `appuser` (uid 1000) it runs as).
ARG BASE
FROM ${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/*
COPY libs/ /opt/kafka/libs/
COPY kafka-run.sh /etc/kafka/docker/run
COPY kafka-tool.sh /opt/kafka/bin/kafka-tool.sh
COPY log4j.properties /opt/kafka/config/log4j.properties
RUN cd /opt/kafka/bin \
 && for tool in kafka-topics kafka-consumer-groups kafka-storage kafka-server-start; do \
      ln -s kafka-tool.sh "$tool.sh"; done \
 && chmod +x /etc/kafka/docker/run kafka-tool.sh \
 && useradd --uid 1000 --create-home --shell /bin/bash appuser \
 && mkdir -p /var/lib/kafka/data && chown -R appuser: /var/lib/kafka /opt/kafka/config
USER appuser
CMD ["/etc/kafka/docker/run"]
