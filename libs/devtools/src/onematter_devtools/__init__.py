"""Local infrastructure for development and tests, stdlib only.

- `kafka.KafkaBroker`: a single-node Apache Kafka (KRaft) from the real jars on Maven Central.
- `postgres.PostgresCluster`: a throwaway PostgreSQL cluster from the machine's binaries.
- `launcher.System`: every service and the gateway as separate processes.
- `stack.DedicatedStack`: a private Kafka + PostgreSQL on free ports and the whole system on them
  (fault tests, benchmarks).

Every failure to provide infrastructure raises `InfraError` with the reason and the last log lines.
"""

from onematter_devtools._process import InfraError

__all__ = ["InfraError"]
