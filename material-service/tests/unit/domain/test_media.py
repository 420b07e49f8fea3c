"""What a file is, read from its bytes: magic numbers, declared types, and the accepted type."""

from __future__ import annotations

import pytest
from onematter_kit.errors import PayloadTooLargeError, UnsupportedMediaTypeError, ValidationProblem
from onematter_material.domain.media import (
    OFD,
    ZIP,
    ContainerFacts,
    ContainerLimits,
    accepted_media_type,
    container_media_type,
    declared_type,
    download_name,
    sniff_media_type,
)


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


@pytest.mark.parametrize(
    ("label", "media_type", "name"),
    [
        ("x.html", "application/pdf", "x.pdf"),  # a PDF/HTML polyglot (issue 18)
        ("出生医学证明.pdf", "application/pdf", "出生医学证明.pdf"),
        ("photo.JPEG", "image/jpeg", "photo.JPEG"),
        ("photo.png", "image/jpeg", "photo.jpg"),
        ("scan", "image/png", "scan.png"),
        ("report.tar.gz", "application/ofd", "report.tar.ofd"),
        ("notes.txt", "text/plain", "notes.bin"),
    ],
)
def test_a_download_is_named_from_the_label_with_an_extension_of_its_real_type(
    label: str, media_type: str, name: str
) -> None:
    assert download_name(label, media_type) == name


LIMITS = ContainerLimits(max_entries=10, max_expanded_bytes=1000)


def test_a_readable_zip_with_ofd_xml_at_its_root_within_the_limits_is_an_ofd() -> None:
    facts = ContainerFacts(entries=10, expanded_bytes=1000, has_ofd_root=True)
    assert container_media_type(facts, LIMITS) == OFD


@pytest.mark.parametrize(
    "facts",
    [
        ContainerFacts(entries=3, expanded_bytes=10, has_ofd_root=False),
        ContainerFacts(entries=0, expanded_bytes=0, has_ofd_root=False, readable=False),
    ],
)
def test_another_or_an_unreadable_zip_is_no_accepted_type(facts: ContainerFacts) -> None:
    assert container_media_type(facts, LIMITS) is None


def test_a_zip_with_too_many_entries_is_422_before_anything_else() -> None:
    with pytest.raises(ValidationProblem) as refused:
        container_media_type(ContainerFacts(entries=11, expanded_bytes=0, has_ofd_root=True), LIMITS)
    assert refused.value.status == 422


def test_a_zip_that_expands_past_the_limit_is_413() -> None:
    with pytest.raises(PayloadTooLargeError) as refused:
        container_media_type(ContainerFacts(entries=2, expanded_bytes=1001, has_ofd_root=True), LIMITS)
    assert refused.value.extensions == {"limit": 1000}
