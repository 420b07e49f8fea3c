"""Test infrastructure CLI: `python -m onematter_devtools.infra {up,down,status}`.

`up` starts Kafka (state in `<state-dir>/kafka`) and PostgreSQL (`/tmp/onematter-pg-<port>`) unless they
already run, prints `export` lines for `ONEMATTER_TEST_KAFKA` / `ONEMATTER_TEST_POSTGRES` and writes them
to `<state-dir>/env`. The broker takes SASL/SCRAM logins only: `ONEMATTER_TEST_KAFKA_SECURITY_PROTOCOL`,
`…_SASL_MECHANISM`, `…_USERNAME` and `…_PASSWORD` are its admin's, the password read at `source` time from
its 0600 file (`$(cat …)`), so it is neither printed nor copied. It adds what it newly started to a
record file (default `<state-dir>/started-by-up`); `down` stops only what that record lists, or
everything with `--all`.
`make test` passes its own record file, so it never stops infrastructure somebody else started.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Protocol

from onematter_devtools._process import InfraError, say
from onematter_devtools.credentials import MECHANISM
from onematter_devtools.kafka import KafkaBroker
from onematter_devtools.postgres import PostgresCluster

__all__ = ["main"]


class Component(Protocol):
    def start(self) -> bool: ...
    def stop(self) -> bool: ...
    def is_running(self) -> bool: ...


def _broker(args: argparse.Namespace) -> KafkaBroker:
    return KafkaBroker(
        data_dir=Path(args.state_dir) / "kafka",
        port=args.kafka_port,
        controller_port=args.kafka_controller_port or args.kafka_port + 1,
        fresh=True,
    )


def _components(args: argparse.Namespace) -> dict[str, Component]:
    found: dict[str, Component] = {"kafka": _broker(args)}
    if not args.no_postgres:
        found["postgres"] = PostgresCluster(port=args.pg_port)
    return found


def _record(args: argparse.Namespace) -> Path:
    return Path(args.record or Path(args.state_dir) / "started-by-up")


def _env_lines(args: argparse.Namespace) -> str:
    admin = _broker(args).admin
    lines = [
        f"export ONEMATTER_TEST_KAFKA=127.0.0.1:{args.kafka_port}",
        "export ONEMATTER_TEST_KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT",
        f"export ONEMATTER_TEST_KAFKA_SASL_MECHANISM={MECHANISM}",
        f"export ONEMATTER_TEST_KAFKA_USERNAME={admin.username}",
        f'export ONEMATTER_TEST_KAFKA_PASSWORD="$(cat {_broker(args).credentials.path(admin.username)})"',
    ]
    if not args.no_postgres:
        lines.append(f"export ONEMATTER_TEST_POSTGRES={PostgresCluster(port=args.pg_port).dsn}")
    return "\n".join(lines) + "\n"


def up(args: argparse.Namespace) -> int:
    components, record = _components(args), _record(args)
    record.parent.mkdir(parents=True, exist_ok=True)
    started = set(record.read_text().split()) if record.exists() else set()
    try:
        for name, component in components.items():
            if component.start():
                started.add(name)
    finally:  # also on failure, so `down` can stop what did start
        record.write_text("".join(f"{name}\n" for name in sorted(started)))
    env = _env_lines(args)
    (Path(args.state_dir) / "env").write_text(env)
    sys.stdout.write(env)
    return 0


def down(args: argparse.Namespace) -> int:
    components, record = _components(args), _record(args)
    recorded = set(record.read_text().split()) if record.exists() else set()
    wanted = set(components) if args.all else recorded & set(components)
    if not wanted:
        say(f"nothing to stop: {record} lists nothing we manage (use --all to stop anyway)")
    for name in sorted(wanted):
        components[name].stop()
    if remaining := recorded - wanted:
        record.write_text("".join(f"{name}\n" for name in sorted(remaining)))
    else:
        record.unlink(missing_ok=True)
    return 0


def status(args: argparse.Namespace) -> int:
    components = _components(args)
    running = {name: component.is_running() for name, component in components.items()}
    for name, is_up in running.items():
        print(f"{name:9} {'running' if is_up else 'stopped'}")
    return 0 if all(running.values()) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m onematter_devtools.infra",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=["up", "down", "status"])
    parser.add_argument("--kafka-port", type=int, default=29092)
    parser.add_argument("--kafka-controller-port", type=int, help="default: kafka port + 1")
    parser.add_argument("--pg-port", type=int, default=25432)
    parser.add_argument("--state-dir", default=".cache/test-infra")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--record", help="file listing what `up` started (default <state-dir>/started-by-up)")
    parser.add_argument("--all", action="store_true", help="down: stop even what `up` did not start")
    args = parser.parse_args(argv)
    try:
        return {"up": up, "down": down, "status": status}[args.command](args)
    except InfraError as error:
        say(f"error: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
