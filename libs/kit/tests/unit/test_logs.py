"""Every log line is redacted, tracebacks and uvicorn's own loggers included (issue 19).

The ID number below is the example of GB 11643-1999 (a valid check digit); the phone number is an
11-digit mainland mobile number (13x prefix), the shapes the redaction must mask.
"""

from __future__ import annotations

import io
import json
import logging
import sys
import threading
from collections.abc import Iterator

import pytest
from onematter_kit.logs import configure_logging

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"


@pytest.fixture
def stdout(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[_Captured]:
    """What the configured handler writes; the root logger, uvicorn's loggers and the hooks restored."""
    buffer = _Captured(capsys)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    root, uvicorn = logging.getLogger(), logging.getLogger("uvicorn")
    saved = (root.handlers[:], root.level, uvicorn.handlers[:], uvicorn.propagate)
    yield buffer
    root.handlers[:], uvicorn.handlers[:] = saved[0], saved[2]
    root.setLevel(saved[1])
    uvicorn.propagate = saved[3]


class _Captured:
    """Standard output as pytest captured it (the handler binds ``sys.stdout`` when configured)."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self._capsys = capsys
        self._text = ""

    def getvalue(self) -> str:
        self._text += self._capsys.readouterr().out
        return self._text


def _fail() -> None:
    raise ValueError(f"applicant {ID_NUMBER} phone {PHONE} refused")


def _lines(buffer: _Captured) -> list[dict[str, str]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line]


def _assert_masked(text: str) -> None:
    assert ID_NUMBER not in text and ID_NUMBER[:17] not in text
    assert PHONE not in text
    assert "[id-number redacted]" in text and "[phone redacted]" in text


def test_an_exception_logged_with_its_traceback_is_one_json_line_with_the_numbers_masked(stdout) -> None:
    configure_logging("test")
    try:
        _fail()
    except ValueError:
        logging.getLogger("onematter.test").exception("handler failed")

    [line] = _lines(stdout)
    assert line["level"] == "error" and "Traceback" in line["exception"]
    _assert_masked(line["exception"])


def test_uvicorn_s_asgi_exception_log_goes_through_the_same_json_redaction(stdout) -> None:
    # uvicorn installs its own plain-text handler on "uvicorn" (propagate off) before it loads the app.
    stray = io.StringIO()
    uvicorn = logging.getLogger("uvicorn")
    uvicorn.handlers[:] = [logging.StreamHandler(stray)]
    uvicorn.propagate = False
    configure_logging("test")
    try:
        _fail()
    except ValueError:
        logging.getLogger("uvicorn.error").error("Exception in ASGI application", exc_info=True)

    assert stray.getvalue() == ""
    [line] = _lines(stdout)
    assert line["logger"] == "uvicorn.error"
    _assert_masked(line["exception"])


def test_stack_info_is_in_the_json_line_and_masked(stdout) -> None:
    configure_logging("test")
    logging.getLogger("onematter.test").warning("look %s", PHONE, stack_info=True)

    [line] = _lines(stdout)
    assert "stack" in line and "Stack (most recent call last)" in line["stack"]
    assert PHONE not in stdout.getvalue()


def test_an_uncaught_exception_is_logged_as_json_with_the_numbers_masked(stdout) -> None:
    configure_logging("test")
    try:
        _fail()
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)

    [line] = _lines(stdout)
    assert line["logger"] == "onematter.uncaught"
    _assert_masked(line["exception"])


def test_an_uncaught_exception_in_a_thread_is_logged_as_json_with_the_numbers_masked(stdout) -> None:
    configure_logging("test")
    thread = threading.Thread(target=_fail)
    thread.start()
    thread.join()

    [line] = _lines(stdout)
    _assert_masked(line["exception"])


def test_plain_text_logs_are_masked_too(stdout) -> None:
    configure_logging("test", json_logs=False)
    try:
        _fail()
    except ValueError:
        logging.getLogger("onematter.test").exception("handler failed")

    _assert_masked(stdout.getvalue())
