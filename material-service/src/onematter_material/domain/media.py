"""What a file really is, read from its first bytes — never from the name or the declared type alone.

The client's file name is a label only (issue 18): a download is named from the label's stem and the
extension of the type the bytes showed (:func:`download_name`), so a PDF/HTML polyglot uploaded as
``x.html`` downloads as ``x.pdf``. ZIP containers (OFD) are accepted only within :class:`ContainerLimits`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from onematter_kit.errors import PayloadTooLargeError, UnsupportedMediaTypeError, ValidationProblem

__all__ = [
    "ACCEPTED_MEDIA_TYPES",
    "OFD",
    "SNIFF_BYTES",
    "ZIP",
    "ContainerFacts",
    "ContainerLimits",
    "accepted_media_type",
    "container_media_type",
    "declared_type",
    "download_name",
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
#: The extensions a download may carry per type; the first is the one given when the label's does not fit.
_EXTENSIONS = {PDF: (".pdf",), PNG: (".png",), JPEG: (".jpg", ".jpeg"), OFD: (".ofd",)}
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


def download_name(label: str, media_type: str) -> str:
    """The file name a download is offered under: ``label`` (already sanitised) with an extension that
    matches ``media_type`` — the label's own if it is one of the type's, else the type's first (the
    label's other extension is dropped). A type without known extensions gets ``.bin``."""
    path = PurePosixPath(label)
    extensions = _EXTENSIONS.get(media_type, (".bin",))
    if path.suffix.lower() in extensions:
        return label
    stem = path.stem if path.suffix else label
    return (stem or "file") + extensions[0]


@dataclass(frozen=True)
class ContainerLimits:
    """How much a ZIP container (OFD) may hold: entries, and bytes once every entry is decompressed.

    OFD documents (GB/T 33190) hold an ``OFD.xml``, a document, its pages and resources: tens or a few
    hundred entries, rarely more than a few times the upload's size when expanded."""

    max_entries: int = 1000
    max_expanded_bytes: int = 100 * 1024 * 1024


@dataclass(frozen=True)
class ContainerFacts:
    """What reading a ZIP showed: ``entries`` in its directory, ``expanded_bytes`` decompressed (counted
    up to just past the limit, then reading stopped), whether ``OFD.xml`` is at its root, and whether it
    could be read at all (a broken, encrypted or lying archive cannot)."""

    entries: int
    expanded_bytes: int
    has_ofd_root: bool
    readable: bool = True


def container_media_type(facts: ContainerFacts, limits: ContainerLimits) -> str | None:
    """``OFD`` for a readable ZIP with ``OFD.xml`` at its root, within ``limits``; ``None`` (so 415) for
    another or unreadable ZIP. Raises ``ValidationProblem`` (422) for too many entries and
    ``PayloadTooLargeError`` (413) for more expanded bytes than allowed, before anything is stored."""
    if facts.entries > limits.max_entries:
        raise ValidationProblem(
            f"The archive has more than {limits.max_entries} entries.",
            errors=[{"field": "file", "message": f"at most {limits.max_entries} entries"}],
        )
    if facts.expanded_bytes > limits.max_expanded_bytes:
        raise PayloadTooLargeError(
            f"The archive expands to more than {limits.max_expanded_bytes} bytes.",
            extensions={"limit": limits.max_expanded_bytes},
        )
    return OFD if facts.readable and facts.has_ofd_root else None
