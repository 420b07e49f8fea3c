"""What a file really is, read from its first bytes — never from the name or the declared type alone."""

from __future__ import annotations

from onematter_kit.errors import UnsupportedMediaTypeError, ValidationProblem

__all__ = [
    "ACCEPTED_MEDIA_TYPES",
    "OFD",
    "SNIFF_BYTES",
    "ZIP",
    "accepted_media_type",
    "declared_type",
    "sniff_media_type",
]

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
#: 版式文档 OFD (GB/T 33190) is a ZIP container whose root holds ``OFD.xml``.
OFD = "application/ofd"
#: A ZIP container; only acceptable once it is shown to be an OFD.
ZIP = "application/zip"
ACCEPTED_MEDIA_TYPES = frozenset({PDF, PNG, JPEG, OFD})
#: How many leading bytes :func:`sniff_media_type` needs.
SNIFF_BYTES = 8

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"PK\x03\x04", ZIP),
)
_ALIASES = {"image/jpg": JPEG, "image/pjpeg": JPEG, "application/x-pdf": PDF, "application/vnd.ofd": OFD}
#: Declared types that say "I don't know" — the sniffed type decides alone.
_UNDECLARED = frozenset({"", "application/octet-stream", "binary/octet-stream"})


def sniff_media_type(head: bytes) -> str | None:
    """The media type the magic number at the start of ``head`` shows, ``ZIP`` for any ZIP, or ``None``."""
    return next((media_type for magic, media_type in _MAGIC if head.startswith(magic)), None)


def declared_type(content_type: str | None) -> str | None:
    """The client's declared media type, normalised; ``None`` when it declares nothing useful."""
    bare = (content_type or "").split(";", 1)[0].strip().lower()
    if bare in _UNDECLARED:
        return None
    return _ALIASES.get(bare, bare)


def accepted_media_type(*, size: int, sniffed: str | None, declared: str | None) -> str:
    """The media type a file is stored under, from what its bytes show (``sniffed``, with a ZIP already
    resolved to ``OFD`` or ``None``) and what the client said (``declared``, normalised).

    Raises ``ValidationProblem`` (422) for an empty file, ``UnsupportedMediaTypeError`` (415) for a type
    that is not PDF/JPEG/PNG/OFD or contradicts the declared one: a PNG declared as ``application/pdf``
    is refused, not silently relabelled.
    """
    if size == 0:
        raise ValidationProblem("The file is empty.", errors=[{"field": "file", "message": "empty file"}])
    if sniffed is None or sniffed not in ACCEPTED_MEDIA_TYPES:
        raise UnsupportedMediaTypeError(
            "Only PDF, JPEG, PNG and OFD files are accepted.",
            extensions={"accepted": sorted(ACCEPTED_MEDIA_TYPES)},
        )
    if declared is not None and declared != sniffed:
        raise UnsupportedMediaTypeError(
            f"The file was declared as {declared} but its content is {sniffed}.",
            extensions={"declared": declared, "detected": sniffed},
        )
    return sniffed
