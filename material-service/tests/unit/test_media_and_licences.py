"""Pure domain rules: magic-byte detection, declared types, file names, licence codes and masking."""

from __future__ import annotations

from datetime import date

from onematter_material.domain.licences import LicenceStatus, mask_name, new_verification_code, status_on
from onematter_material.domain.media import OFD, ZIP, declared_type, sniff_media_type
from onematter_material.entrypoints.upload import safe_file_name


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


def test_client_file_names_keep_only_a_harmless_last_segment() -> None:
    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("..\\..\\windows\\win.ini") == "win.ini"
    assert safe_file_name('a"b\r\n.pdf') == "ab.pdf"
    assert safe_file_name("..") == "file"
    assert safe_file_name("出生医学证明.pdf") == "出生医学证明.pdf"


def test_verification_codes_are_long_random_and_unambiguous() -> None:
    codes = {new_verification_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(c) == 20 and not set(c) & set("01OIL") for c in codes)


def test_a_valid_licence_past_its_end_reads_expired() -> None:
    assert status_on("valid", valid_until=date(2020, 1, 1), today=date(2025, 1, 1)) is LicenceStatus.expired
    assert status_on("valid", valid_until=None, today=date(2025, 1, 1)) is LicenceStatus.valid
    assert status_on("revoked", valid_until=None, today=date(2025, 1, 1)) is LicenceStatus.revoked


def test_names_are_masked_after_the_first_character() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳小明") == "欧***"
    assert mask_name("王") == "王*"
    assert mask_name(None) is None
