"""Shared test data: the fixture folder and a made-up (but valid) notice for 2027."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from onematter_testkit.notices import made_up_notice_2027

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


def _notice_2027(**overrides: Any) -> dict[str, Any]:
    return made_up_notice_2027(**overrides)


@pytest.fixture
def notice_2027() -> Callable[..., dict[str, Any]]:
    return _notice_2027
