"""The fault-injection hook: inert unless armed, refused in production, and a real SIGKILL when reached."""

import signal
import subprocess
import sys

import pytest
from onematter_kit import faults
from onematter_kit.errors import ConfigurationError
from onematter_kit.settings import ServiceSettings

SECRET = "x" * 40


@pytest.fixture(autouse=True)
def _disarmed():
    yield
    faults.arm(None)


def test_reaching_a_point_that_is_not_armed_does_nothing():
    faults.arm("consumer.committed")
    faults.reach("outbox.acknowledged")
    assert faults.armed() == "consumer.committed"


def test_an_unknown_point_is_refused_so_a_typo_cannot_skip_the_crash():
    with pytest.raises(ConfigurationError, match="FAULT_INJECT"):
        faults.arm("outbox.acked")


def test_production_refuses_fault_injection():
    with pytest.raises(ConfigurationError, match="FAULT_INJECT"):
        ServiceSettings(
            environment="production",
            internal_token_secret=SECRET,
            database_url="postgresql+asyncpg://db/x",
            fault_inject="outbox.acknowledged",
        )


def test_tests_may_arm_a_point():
    assert ServiceSettings(environment="test", fault_inject="webhook.answered").fault_inject == (
        "webhook.answered"
    )


def test_the_armed_point_kills_the_process_with_sigkill_before_the_next_line():
    program = (
        "from onematter_kit import faults\n"
        "faults.arm('upload.blob_written')\n"
        "print('before', flush=True)\n"
        "faults.reach('upload.blob_written')\n"
        "print('after', flush=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL
    assert done.stdout == "before\n"
