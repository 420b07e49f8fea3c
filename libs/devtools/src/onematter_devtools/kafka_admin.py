"""Create the principals and ACLs of :mod:`onematter_devtools.kafka_acl` on a running broker.

Idempotent: passwords are generated once into the broker's credential folder and reused, SCRAM
credentials are upserted and existing ACLs stay. Uses the admin API as the super-user (confluent-kafka;
aiokafka has no SCRAM or ACL calls). Returns when the broker applies the new ACLs, so a client started
next is not refused by a broker that has not caught up.

CLI, for a department that joins after the start (``make run``'s broker)::

    python -m onematter_devtools.kafka_admin --data-dir data/kafka --port 9092 <department code>...
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The documented import path; the package's stubs do not re-export these names explicitly.
from confluent_kafka.admin import (  # type: ignore[attr-defined, unused-ignore]
    AclBinding,
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AdminClient,
    ResourcePatternType,
    ResourceType,
    ScramCredentialInfo,
    ScramMechanism,
    UserScramCredentialUpsertion,
)
from onematter_events.ownership import SERVICES

from onematter_devtools._process import InfraError, say
from onematter_devtools.credentials import CredentialStore, KafkaLogin
from onematter_devtools.kafka import ADMIN, KafkaBroker
from onematter_devtools.kafka_acl import Grant, department_user, plan, service_user

__all__ = ["Provisioned", "main", "provision", "provision_at"]

_ITERATIONS = 8192  # SCRAM's minimum is 4096


@dataclass(frozen=True)
class Provisioned:
    """The logins created for one topic prefix: by service name and by department code."""

    services: dict[str, KafkaLogin]
    departments: dict[str, KafkaLogin]


def provision(
    broker: KafkaBroker, *, prefix: str = "", departments: Iterable[str] = (), timeout: float = 30.0
) -> Provisioned:
    """Every service's principal and the given departments', with their ACLs (raises InfraError)."""
    return provision_at(
        broker.bootstrap, broker.credentials, prefix=prefix, departments=departments, timeout=timeout
    )


def provision_at(
    bootstrap: str,
    store: CredentialStore,
    *,
    prefix: str = "",
    departments: Iterable[str] = (),
    timeout: float = 30.0,
) -> Provisioned:
    """:func:`provision` on any broker: logged in as ``admin`` (the super-user) with the password in
    ``store``, which also holds (or receives) every principal's password (raises InfraError)."""
    codes = list(dict.fromkeys(departments))
    grants = plan(prefix=prefix, departments=codes).grants
    logins = {user: store.login(user) for user in grants}
    config: dict[str, str | int | float | bool] = {**store.login(ADMIN).librdkafka_config(bootstrap)}
    admin = AdminClient(config | {"log_level": 3})
    _wait_all(admin.alter_user_scram_credentials([_upsertion(login) for login in logins.values()]), timeout)
    bindings = [_binding(user, grant) for user, user_grants in grants.items() for grant in user_grants]
    _wait_all(admin.create_acls(bindings), timeout)
    _wait_applied(admin, {f"User:{user}" for user in grants}, len(bindings), timeout)
    return Provisioned(
        services={s: logins[service_user(s, prefix)] for s in SERVICES},
        departments={c: logins[department_user(c, prefix)] for c in codes},
    )


def _upsertion(login: KafkaLogin) -> UserScramCredentialUpsertion:
    info = ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, _ITERATIONS)
    return UserScramCredentialUpsertion(login.username, info, login.password.encode())


def _binding(user: str, grant: Grant) -> AclBinding:
    return AclBinding(
        ResourceType.TOPIC if grant.resource == "topic" else ResourceType.GROUP,
        grant.name,
        ResourcePatternType.PREFIXED if grant.prefixed else ResourcePatternType.LITERAL,
        f"User:{user}",
        "*",
        AclOperation[grant.operation],
        AclPermissionType.ALLOW,
    )


def _wait_all(futures: dict[Any, Future[Any]] | list[Future[Any]], timeout: float) -> None:
    pending = futures.values() if isinstance(futures, dict) else futures
    try:
        for future in pending:
            future.result(timeout=timeout)
    except Exception as error:  # KafkaException carries the broker's reason, never a password
        raise InfraError(f"Kafka refused the provisioning: {error}") from error


def _wait_applied(admin: AdminClient, principals: set[str], expected: int, timeout: float) -> None:
    """Until the broker's authorizer lists (at least) the ACLs we created for ``principals``."""
    # None matches any name, principal and host (the stubs type them as str only).
    everything = AclBindingFilter(
        ResourceType.ANY,
        None,  # type: ignore[arg-type]
        ResourcePatternType.ANY,
        None,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        AclOperation.ANY,
        AclPermissionType.ANY,
    )
    deadline = time.monotonic() + timeout
    while True:
        found = admin.describe_acls(everything).result(timeout=timeout)
        ours = [binding for binding in found if binding.principal in principals]
        if len(ours) >= expected:
            return
        if time.monotonic() > deadline:
            raise InfraError(f"the broker applied {len(ours)} of {expected} ACLs after {timeout:.0f} s")
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m onematter_devtools.kafka_admin", description=__doc__)
    parser.add_argument("departments", nargs="*", help="department codes to add (services are always added)")
    parser.add_argument("--data-dir", default="data/kafka", help="the broker's data dir (holds credentials/)")
    parser.add_argument("--port", type=int, default=9092)
    parser.add_argument("--prefix", default="", help="topic prefix (tests)")
    args = parser.parse_args(argv)
    broker = KafkaBroker(data_dir=Path(args.data_dir), port=args.port)
    try:
        done = provision(broker, prefix=args.prefix, departments=args.departments)
    except InfraError as error:
        say(f"error: {error}")
        return 1
    for code, login in done.departments.items():
        print(f"{code}: user {login.username}, password in {broker.credentials.path(login.username)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
