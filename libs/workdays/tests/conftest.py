"""Shared test data: the fixture folder and a made-up (but valid) notice for 2027."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


def _notice_2027(**overrides: Any) -> dict[str, Any]:
    """A MADE-UP notice for 2027 (the real one is not published yet), valid under the 2024 statute.

    Statutory days it must contain (2027): 元旦 01-01; 春节 除夕 02-05 to 初三 02-08; 清明 04-05;
    劳动节 05-01/02; 端午 06-09; 中秋 09-15; 国庆 10-01..03.
    """
    notice: dict[str, Any] = {
        "year": 2027,
        "document_number": "国办发明电〔2026〕99号",
        "issued_on": "2026-11-20",
        "version": 1,
        "holidays": [
            {"name": "元旦", "first": "2027-01-01", "last": "2027-01-03"},
            {"name": "春节", "first": "2027-02-05", "last": "2027-02-12"},
            {"name": "清明节", "first": "2027-04-03", "last": "2027-04-05"},
            {"name": "劳动节", "first": "2027-05-01", "last": "2027-05-05"},
            {"name": "端午节", "first": "2027-06-09", "last": "2027-06-09"},
            {"name": "中秋节", "first": "2027-09-15", "last": "2027-09-15"},
            {"name": "国庆节", "first": "2027-10-01", "last": "2027-10-07"},
        ],
        "adjusted_workdays": [
            {"date": "2027-02-20", "holiday": "春节"},
            {"date": "2027-05-08", "holiday": "劳动节"},
            {"date": "2027-09-26", "holiday": "国庆节"},
            {"date": "2027-10-09", "holiday": "国庆节"},
        ],
    }
    return notice | overrides


@pytest.fixture
def notice_2027() -> Callable[..., dict[str, Any]]:
    return _notice_2027
