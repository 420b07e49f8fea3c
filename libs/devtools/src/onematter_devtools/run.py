"""`make run`: the whole system on this machine without Docker.

Starts (or reuses) a local Kafka on 127.0.0.1:9092 with its state in `./data/kafka`, creates the Kafka
principals (a service's `svc-<service>`, a department's `dept-<code>`, passwords in
`./data/kafka/credentials/`) and their ACLs, a mail sink (MailDev: SMTP on 1025, read the mail on
http://127.0.0.1:1080; see `onematter_devtools.mailsink`) that the notification service sends to, then
every service with SQLite files in `./data`, waits for the gateway and prints how to use it, with the
command a department runs to read its tasks. Ctrl-C (or SIGTERM) stops the services, the mail sink and
the Kafka this run started; a second run reuses the Kafka data and the SQLite files.
`--data DIR` puts everything in another folder; `--free-ports` takes free ports instead of the fixed ones
(tests run the real entry this way next to another `make run`).
If a service dies, its last log lines are printed, everything stops and the exit code is 1.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import signal
import sys
import textwrap
import time
from pathlib import Path
from types import FrameType

from onematter_devtools._process import InfraError, say, tail
from onematter_devtools.kafka import KafkaBroker
from onematter_devtools.kafka_acl import department_user
from onematter_devtools.kafka_admin import Provisioned, provision
from onematter_devtools.launcher import SERVICES, System, free_port
from onematter_devtools.mailsink import MailSink

__all__ = ["department_codes", "department_kcat", "main"]

SEED = "key-matters-2024-batch1.yaml"


def _seed_file() -> Path | None:
    candidates = [Path("matter-catalog-service/src/onematter_catalog/seed") / SEED]
    if (spec := importlib.util.find_spec("onematter_catalog")) and spec.submodule_search_locations:
        candidates += [Path(folder) / "seed" / SEED for folder in spec.submodule_search_locations]
    return next((path for path in candidates if path.is_file()), None)


def department_codes(seed: Path | None = None) -> list[str]:
    """The `code` of every entry in the seed's top-level `departments:` list (empty if there is no seed)."""
    if (seed := seed or _seed_file()) is None:
        return []
    text = seed.read_text(encoding="utf-8")
    try:
        import yaml  # in the workspace venv; the regex below keeps this module stdlib-only
    except ImportError:
        section = re.search(r"^departments:\n((?:[ \t].*\n|#.*\n|\n)*)", text, re.MULTILINE)
        return re.findall(r"code:\s*([\w.-]+)", section.group(1)) if section else []
    return [str(entry["code"]) for entry in yaml.safe_load(text).get("departments") or []]


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it is below it (the commands run from there)."""
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


def department_kcat(kafka: KafkaBroker, code: str) -> str:
    """The kcat command with which department ``code`` reads its tasks from the start (a department that
    joins late sees the tasks already there); the password is read from its file, never printed."""
    user = department_user(code)
    password = _shown(kafka.credentials.path(user))
    return (
        f"kcat -b {kafka.bootstrap} -X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms=SCRAM-SHA-512 \\\n"
        f'       -X sasl.username={user} -X sasl.password="$(cat {password})" \\\n'
        f"       -X auto.offset.reset=earliest -G {code}.workbench onematter.tasks.{code}"
    )


def _banner(system: System, kafka: KafkaBroker, principals: Provisioned, mail: MailSink | None) -> str:
    officers = ", ".join(f"officer-{code}" for code in department_codes()) or "officer-<department code>"
    officers = textwrap.fill(officers + ",", width=100, subsequent_indent="  ")
    url = system.gateway_url
    mail_url = f"{mail.url}   (every email sent, to read in a browser)" if mail else "(no mail sink)"
    example = next(iter(principals.departments), None)
    reading = (
        f"A department reads its tasks, e.g. {example}:\n  {department_kcat(kafka, example)}\n"
        if example
        else ""
    )
    return f"""
OneMatter is running.
  gateway   {url}   (API docs: {url}/docs)
  kafka     {kafka.bootstrap}   SASL/SCRAM-SHA-512; one principal per service (svc-<service>) and per
            department (dept-<code>), passwords in {_shown(kafka.credentials.folder)}/
  mail      {mail_url}
  logs      {system.data_dir}/logs/
{reading}
Demo users, password `demo`:
  zhangsan (individual applicant), acme-corp (enterprise applicant), clerk01 (window clerk),
  wangwu (acme-corp's legal representative), zhaoliu (acme-corp's 经办人 once wangwu authorises him),
  {officers}
  supervisor, admin, operator01 (12345 operator), dispatcher01 (12345 dispatcher)
Get a token:
  curl -s -X POST {url}/auth/token -H 'Content-Type: application/json' \\
       -d '{{"username":"zhangsan","password":"demo"}}'
Press Ctrl-C to stop.
"""


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _wait_ready(system: System, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return system.wait_ready(timeout=min(5.0, max(0.0, deadline - time.monotonic())))
        except InfraError:
            if system.dead() or time.monotonic() >= deadline:
                raise
            say(f"  waiting for {system.gateway_url}/readyz ...")


def _watch(system: System) -> int:
    while not (dead := system.dead()):
        time.sleep(1)
    for name in dead:
        log = system.log_file(name)
        say(f"\n{name} exited unexpectedly; last lines of {log}:\n{tail(log)}")
    return 1


def _ports(free: bool) -> dict[str, int]:
    """Every port this run listens on: the fixed ones of `make run`, or free ones (``--free-ports``)."""
    fixed = {"kafka": 9092, "controller": 9093, "smtp": 1025, "mail": 1080}
    fixed |= {s.name: s.port for s in SERVICES}
    if not free:
        return fixed
    ports: dict[str, int] = {}
    while len(set(ports.values())) < len(fixed):  # a port handed out twice would clash at start
        ports = {name: free_port() for name in fixed}
    return ports


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make run", description="The whole OneMatter on this machine.")
    parser.add_argument("--data", default="data", help="the folder for every state (default: ./data)")
    parser.add_argument("--free-ports", action="store_true", help="free ports instead of the fixed ones")
    return parser.parse_args(argv)


def _start_mail(mail: MailSink) -> MailSink | None:
    """The sink, started; without it (no Node.js, say) the system still runs, only without email."""
    try:
        mail.start()
    except InfraError as error:
        say(f"warning: no mail sink, emails are not sent: {error}")
        return None
    return mail


def main(argv: list[str] | None = None) -> int:
    for signum in (signal.SIGINT, signal.SIGTERM):  # also when started with SIGINT ignored (e.g. `cmd &`)
        signal.signal(signum, _interrupt)
    options = _options(argv)
    data, ports = Path(options.data).resolve(), _ports(options.free_ports)
    kafka = KafkaBroker(data_dir=data / "kafka", port=ports["kafka"], controller_port=ports["controller"])
    mail = MailSink(data_dir=data / "mail", smtp_port=ports["smtp"], web_port=ports["mail"])
    services = {s.name: ports[s.name] for s in SERVICES}
    system = System(kafka_bootstrap=kafka.bootstrap, data_dir=data, ports=services)
    reused_kafka = kafka.is_running()  # decided up front, so Ctrl-C during its start still stops it
    try:
        kafka.start()
        principals = provision(kafka, departments=department_codes())
        system.kafka_logins = principals.services
        if (sink := _start_mail(mail)) is not None:
            system.extra_env["notification"] = sink.notification_env()
        say("Starting the services ...")
        system.start()
        _wait_ready(system)
        print(_banner(system, kafka, principals, sink), flush=True)
        return _watch(system)
    except KeyboardInterrupt:
        say("\nStopping ...")
        return 0
    except InfraError as error:
        say(f"error: {error}")
        return 1
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):  # a second signal must not leave orphans behind
            signal.signal(signum, signal.SIG_IGN)
        system.stop()
        mail.stop()
        if not reused_kafka:
            kafka.stop()


if __name__ == "__main__":
    sys.exit(main())
