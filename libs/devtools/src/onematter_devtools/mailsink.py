"""A local mail sink for `make run`: MailDev catches every email the notification service sends and shows
it in a browser (and through its HTTP API, ``GET /api/email``).

Why MailDev and not Mailpit (which the compose dev profile uses): Mailpit's module on the Go proxy builds,
but without its web interface (its UI assets are built with npm and not part of the module, and some of
the npm packages that build needs are not on the registry this project uses). MailDev is an npm package
with its UI inside; it is installed once with npm into the cache folder (``ONEMATTER_CACHE``, default
``~/.cache/onematter``), like the Kafka jars. It needs Node.js 20 or later.
"""

# ruff: noqa: S603 - every subprocess runs a fixed command line built here, no shell

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from onematter_devtools._process import InfraError, port_open, say, tail, terminate_group
from onematter_devtools.kafka_jars import require

__all__ = ["MAILDEV_VERSION", "MailSink", "ensure_maildev"]

MAILDEV_VERSION = "3.0.0"


def ensure_maildev(cache_dir: Path | None = None) -> Path:
    """The MailDev entry script, installing it with npm the first time."""
    home = cache_dir or Path(os.environ.get("ONEMATTER_CACHE") or Path.home() / ".cache/onematter")
    home = home / f"maildev-{MAILDEV_VERSION}"
    script, stamp = home / "node_modules/maildev/dist/bin/maildev.js", home / "install.complete"
    if stamp.exists() and script.exists():
        return script
    npm = require("npm", "install Node.js 20+ with npm (apt-get install nodejs npm) for the mail sink")
    say(f"Installing MailDev {MAILDEV_VERSION} from npm into {home} (once) ...")
    home.mkdir(parents=True, exist_ok=True)
    cmd = [npm, "install", "--prefix", str(home), "--no-audit", "--no-fund", f"maildev@{MAILDEV_VERSION}"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not script.exists():
        raise InfraError(f"npm could not install MailDev:\n{(done.stdout + done.stderr)[-3000:]}")
    stamp.write_text(MAILDEV_VERSION + "\n")
    return script


class MailSink:
    """One MailDev process: SMTP on ``smtp_port``, web and API on ``web_port``, both on 127.0.0.1; its
    mail kept in ``data_dir``. ``start`` (waits until its API answers), then ``stop`` (always)."""

    def __init__(self, *, data_dir: Path, smtp_port: int = 1025, web_port: int = 1080) -> None:
        self.data_dir, self.smtp_port, self.web_port = data_dir.resolve(), smtp_port, web_port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "maildev.log"

    def notification_env(self) -> dict[str, str]:
        """The notification service's SMTP settings pointing at this sink."""
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(self.smtp_port)}

    def start(self, *, timeout: float = 60.0) -> None:
        taken = [str(port) for port in (self.smtp_port, self.web_port) if port_open(port)]
        if taken:
            raise InfraError(f"mail sink ports already in use: {', '.join(taken)}")
        node = require("node", "install Node.js 20+ for the mail sink")
        script = ensure_maildev()
        (self.data_dir / "messages").mkdir(parents=True, exist_ok=True)
        cmd = [node, str(script), "--ip", "127.0.0.1", "--smtp", str(self.smtp_port), "--web-ip", "127.0.0.1"]
        cmd += ["--web", str(self.web_port), "--mail-directory", str(self.data_dir / "messages")]
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._wait(timeout)

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not (self._answers() and port_open(self.smtp_port)):
            if self.process is None or self.process.poll() is not None or time.monotonic() > deadline:
                raise InfraError(f"the mail sink did not start:\n{tail(self.log_file)}")
            time.sleep(0.3)

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/healthz", timeout=2) as response:  # noqa: S310
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def messages(self) -> list[dict[str, Any]]:
        """Every caught email as MailDev's API gives it (``subject``, ``text``, ``envelope``, ...)."""
        with urllib.request.urlopen(f"{self.url}/api/email", timeout=5) as response:  # noqa: S310
            found: list[dict[str, Any]] = json.load(response)
        return found

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            terminate_group(self.process.pid, timeout=5)
            self.process.wait()
        self.process = None
