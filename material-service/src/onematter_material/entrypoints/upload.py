"""Receiving an upload: ``multipart/form-data`` parsed as it streams in, the file part written straight to
the blob store's temporary file — the body is never held in memory, and reading stops at ``limit + 1`` bytes.

Parts: ``material_type`` (text, required) and ``file`` (exactly one file part). Anything else is a 422.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from fastapi import Request
from onematter_kit.errors import PayloadTooLargeError, ValidationProblem
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from onematter_material.adapters.blobstore import BlobStore, BlobWriter

if TYPE_CHECKING:  # the library declares its callback table for type checkers only
    from python_multipart.multipart import MultipartCallbacks

__all__ = ["UPLOAD_BODY", "ReceivedUpload", "receive_upload", "safe_file_name"]

_ON_BEHALF_OF = "a delegate only (帮办代办): the applicant whose locker this goes to"
_DELEGATION_ID = "with on_behalf_of: the delegation (委托, with submit) that applicant granted the caller"
#: The request body as OpenAPI shows it (the route reads the stream itself, so FastAPI cannot infer it).
UPLOAD_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "material_type"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "material_type": {"type": "string"},
                        "on_behalf_of": {"type": "string", "description": _ON_BEHALF_OF},
                        "delegation_id": {"type": "string", "description": _DELEGATION_ID},
                    },
                }
            }
        }
    }
}
#: Room for the multipart framing and the text fields on top of the file itself.
_OVERHEAD = 64 * 1024
_MAX_TEXT_FIELD = 1024
#: The file part's marker (a NUL cannot be a form field's name).
_FILE_PART = "\0file"


@dataclass
class ReceivedUpload:
    """A file written to a temporary blob; the caller must ``publish`` or ``discard`` ``writer``."""

    writer: BlobWriter
    file_name: str
    declared_type: str | None
    fields: dict[str, str]


@dataclass
class _State:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    header_field: bytes = b""
    header_value: bytes = b""
    part: str | None = None
    file_parts: int = 0
    file_name: str = ""
    declared_type: str | None = None
    text: bytearray = field(default_factory=bytearray)
    fields: dict[str, str] = field(default_factory=dict)
    #: File bytes parsed from the current network chunk, written to the blob before the next chunk is read.
    pending: list[bytes] = field(default_factory=list)
    error: ValidationProblem | None = None

    # The parser's callbacks: ``data[start:end]`` is the piece of the current chunk they are about.
    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header_field.strip().lower()] = self.header_value.strip()
        self.header_field, self.header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.part = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options:
            self.file_parts += 1
            self.file_name = safe_file_name(options[b"filename"].decode("utf-8", "replace"))
            self.declared_type = self.headers.get(b"content-type", b"").decode("latin-1") or None
            self.part = _FILE_PART

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.part == _FILE_PART:
            self.pending.append(bytes(data[start:end]))
        elif len(self.text) + end - start > _MAX_TEXT_FIELD:
            self.error = ValidationProblem(
                f"Field {self.part!r} is too long.",
                errors=[{"field": self.part, "message": "at most 1024 bytes"}],
            )
        else:
            self.text += data[start:end]

    def on_part_end(self) -> None:
        if self.part and self.part != _FILE_PART:
            self.fields[self.part] = self.text.decode("utf-8", "replace").strip()
        self.headers, self.text, self.part = {}, bytearray(), None

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
        }


def safe_file_name(raw: str) -> str:
    """A display name only: the last path segment, no control characters, quotes or separators, ≤ 255."""
    name = PureWindowsPath(PurePosixPath(raw).name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in '"\\/')
    name = re.sub(r"^\.+", "", name.strip())
    return name[:255] or "file"


def _boundary(request: Request) -> bytes:
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise ValidationProblem(
            "An upload is multipart/form-data with a boundary.",
            errors=[{"field": "body", "message": "expected multipart/form-data"}],
        )
    return boundary


def _refuse_declared_length(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + _OVERHEAD:
        raise PayloadTooLargeError(
            f"The file is larger than the limit of {limit} bytes.", extensions={"limit": limit}
        )


async def receive_upload(request: Request, *, store: BlobStore, limit: int) -> ReceivedUpload:
    """Stream the request into a temporary blob; raises 413 at ``limit + 1`` file bytes, 422 on bad form."""
    parser = MultipartParser(_boundary(request), (state := _State()).callbacks())
    _refuse_declared_length(request, limit)
    writer = await store.open_writer()
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if state.error is not None:
                raise state.error
            for data in state.pending:
                await writer.write(data)
                if writer.size > limit:
                    raise PayloadTooLargeError(
                        f"The file is larger than the limit of {limit} bytes.", extensions={"limit": limit}
                    )
            state.pending.clear()
        parser.finalize()
        await writer.close()
        _check_parts(state)
    except MultipartParseError as exc:
        await writer.discard()
        raise ValidationProblem(
            "The multipart body is malformed.", errors=[{"field": "body", "message": str(exc)[:200]}]
        ) from None
    except BaseException:
        await writer.discard()
        raise
    return ReceivedUpload(
        writer=writer, file_name=state.file_name, declared_type=state.declared_type, fields=state.fields
    )


def _check_parts(state: _State) -> None:
    if state.file_parts != 1:
        raise ValidationProblem(
            "Send exactly one file.",
            errors=[{"field": "file", "message": f"got {state.file_parts} file parts"}],
        )
