"""Receiving an upload: a client's file name is for display only."""

from __future__ import annotations

from onematter_material.entrypoints.upload import safe_file_name


def test_client_file_names_keep_only_a_harmless_last_segment() -> None:
    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("..\\..\\windows\\win.ini") == "win.ini"
    assert safe_file_name('a"b\r\n.pdf') == "ab.pdf"
    assert safe_file_name("..") == "file"
    assert safe_file_name("出生医学证明.pdf") == "出生医学证明.pdf"
