"""``kafka-init`` of ``deploy/compose.yaml``: stream topics, principals and ACLs on the compose broker.

    python -m onematter_devtools.compose_init --bootstrap kafka:9092 --credentials /run/secrets/kafka

The credentials folder is the :class:`~onematter_devtools.credentials.CredentialStore` layout that
``deploy/gen_env.py`` writes into ``SECRETS_DIR/kafka``: one 0600 file per username holding its password
(``admin``, ``svc-<service>``, ``dept-<code>``). The departments are the ``dept-<code>`` files found
there, so adding a department is adding its file (docs/operations.md); what each principal may do comes
from the one topic-ownership table (``onematter_events.ownership`` through ``kafka_acl.plan``). The
stream topics are created with ``--partitions`` partitions, so replicas of a service can split them.

Idempotent: SCRAM credentials are upserted (a rotated password takes effect), ACLs and topics that exist
stay. It never prints a password. Exit code 0 when everything is in place, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# The documented import path; the package's stubs do not re-export these names explicitly.
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined, unused-ignore]
from onematter_events.ownership import SERVICES, TOPIC_OWNERSHIP

from onematter_devtools._process import InfraError, say
from onematter_devtools.credentials import CredentialStore
from onematter_devtools.kafka import ADMIN
from onematter_devtools.kafka_acl import service_user
from onematter_devtools.kafka_admin import provision_at

__all__ = ["departments_in", "main", "stream_topics"]

_DEPARTMENT = "dept-"


def stream_topics() -> list[str]:
    """Every stream topic of the ownership table (task topics are the catalog's to create)."""
    return [entry.topic() for entry in TOPIC_OWNERSHIP if not entry.per_department]


def departments_in(store: CredentialStore) -> list[str]:
    """The codes of the ``dept-<code>`` password files in ``store`` (sorted)."""
    names = (p.name for p in store.folder.iterdir() if p.is_file()) if store.folder.is_dir() else ()
    return sorted(name.removeprefix(_DEPARTMENT) for name in names if name.startswith(_DEPARTMENT))


def _require_passwords(store: CredentialStore) -> None:
    """The admin's and every service's password must exist: this folder is read-only here, and a
    password made up now would never reach the service that needs it."""
    missing = [u for u in (ADMIN, *(service_user(s) for s in SERVICES)) if not store.path(u).is_file()]
    if missing:
        raise InfraError(f"no password file for {', '.join(missing)} in {store.folder} (run gen_env.py)")


def create_topics(bootstrap: str, store: CredentialStore, *, partitions: int, timeout: float) -> None:
    """Creates the stream topics that do not exist yet (existing ones keep their partitions)."""
    admin = AdminClient({**store.login(ADMIN).librdkafka_config(bootstrap), "log_level": 3})
    wanted = [NewTopic(topic, num_partitions=partitions, replication_factor=1) for topic in stream_topics()]
    for topic, future in admin.create_topics(wanted, request_timeout=timeout).items():
        try:
            future.result(timeout=timeout)
        except KafkaException as error:
            if error.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise InfraError(f"cannot create {topic}: {error}") from error


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m onematter_devtools.compose_init", description=__doc__)
    parser.add_argument("--bootstrap", default="kafka:9092")
    parser.add_argument("--credentials", type=Path, default=Path("/run/secrets/kafka"))
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per broker request")
    args = parser.parse_args(argv)
    store = CredentialStore(args.credentials)
    try:
        _require_passwords(store)
        create_topics(args.bootstrap, store, partitions=args.partitions, timeout=args.timeout)
        done = provision_at(args.bootstrap, store, departments=departments_in(store), timeout=args.timeout)
    except InfraError as error:
        say(f"kafka-init: {error}")
        return 1
    say(f"kafka-init: topics {', '.join(stream_topics())} ({args.partitions} partitions)")
    departments = ", ".join(done.departments) or "none"
    say(f"kafka-init: principals of {len(done.services)} services; departments {departments}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
