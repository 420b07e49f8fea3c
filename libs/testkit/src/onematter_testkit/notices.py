"""Holiday notices for tests of the legal clock (as an operator would load them: plain dicts)."""

from __future__ import annotations

from typing import Any

__all__ = ["made_up_notice_2027"]


def made_up_notice_2027(**overrides: Any) -> dict[str, Any]:
    """A MADE-UP official notice for 2027 (the real one is not published yet), valid under the 2024 statute.

    Statutory days it must contain (2027): 元旦 01-01; 春节 除夕 02-05 to 初三 02-08; 清明 04-05;
    劳动节 05-01/02; 端午 06-09; 中秋 09-15; 国庆 10-01..03. Around them: 元旦 01-01..03, 春节 02-05..12
    with Saturday 02-20 worked (调休), and so on. ``overrides`` replace top-level keys.
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
