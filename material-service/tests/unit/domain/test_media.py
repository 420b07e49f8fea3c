"""What a file is, read from its bytes: magic numbers, declared types, and the accepted type."""

from __future__ import annotations

import pytest
from onematter_kit.errors import UnsupportedMediaTypeError, ValidationProblem
from onematter_material.domain.media import OFD, ZIP, accepted_media_type, declared_type, sniff_media_type


def test_magic_bytes_name_pdf_png_jpeg_and_zip() -> None:
    assert sniff_media_type(b"%PDF-1.4 rest") == "application/pdf"
    assert sniff_media_type(b"\x89PNG\r\n\x1a\nrest") == "image/png"
    assert sniff_media_type(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert sniff_media_type(b"PK\x03\x04rest") == ZIP
    assert sniff_media_type(b"GIF89a") is None


def test_declared_types_are_normalised_and_octet_stream_declares_nothing() -> None:
    assert declared_type("image/JPG; charset=binary") == "image/jpeg"
    assert declared_type("application/vnd.ofd") == OFD
    assert declared_type("application/octet-stream") is None
    assert declared_type(None) is None


def test_a_file_is_stored_as_what_its_bytes_show_when_nothing_contradicts_it() -> None:
    assert accepted_media_type(size=10, sniffed="application/pdf", declared=None) == "application/pdf"
    assert accepted_media_type(size=10, sniffed=OFD, declared=OFD) == OFD


def test_an_empty_file_is_a_validation_problem() -> None:
    with pytest.raises(ValidationProblem):
        accepted_media_type(size=0, sniffed=None, declared="application/pdf")


def test_an_unknown_type_or_a_plain_zip_is_refused_as_unsupported() -> None:
    with pytest.raises(UnsupportedMediaTypeError):
        accepted_media_type(size=10, sniffed=None, declared=None)
    with pytest.raises(UnsupportedMediaTypeError):
        accepted_media_type(size=10, sniffed=ZIP, declared=None)


def test_a_png_declared_as_pdf_is_refused_not_relabelled() -> None:
    with pytest.raises(UnsupportedMediaTypeError) as refused:
        accepted_media_type(size=10, sniffed="image/png", declared="application/pdf")
    assert refused.value.extensions == {"declared": "application/pdf", "detected": "image/png"}
