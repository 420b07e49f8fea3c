"""Refusing NUL characters in a request before they reach PostgreSQL, which cannot store them.

A ``%00`` in a path or query parameter, or a ``\\u0000`` in a JSON body, passes FastAPI's validation
as an ordinary ``str`` and then fails deep in asyncpg (``invalid byte sequence for encoding "UTF8":
0x00``, or ``unsupported Unicode escape sequence`` in JSONB) — a 500 for what is bad input. Found by
fuzzing the public API; refused here once for every route instead of in every model.

An unpaired UTF-16 surrogate escape (``"\\ud800"`` with no low surrogate after it, or a low one alone)
likewise decodes to a ``str`` that cannot be encoded as UTF-8, and failed as a 500 wherever the text
was hashed or stored (issue 18); it is refused the same way.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from onematter_kit.problems import problem_response

__all__ = ["NulByteGuard"]

#: ``\u0000`` as a JSON escape, i.e. preceded by an even number of backslashes (``\\u0000`` is text).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_HIGH = rb"\\u[dD][89abAB][0-9a-fA-F]{2}"
_LOW = rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
#: A high surrogate escape not followed by a low one, or a low one not preceded by a high one.
_JSON_LONE_SURROGATE = re.compile(
    rb"(?<!\\)(?:\\\\)*(?:" + _HIGH + rb"(?!" + _LOW + rb")|(?<!" + _HIGH + rb")" + _LOW + rb")"
)


class NulByteGuard:
    """Pure ASGI middleware: 422 problem for a NUL in the path, the query string or a JSON body.

    A JSON body is read whole to be checked and then replayed to the app unchanged; bodies are
    small (the gateway caps them at 1 MiB) and uploads (multipart) are not JSON, so they stream as before.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope["path"] or b"\x00" in unquote_to_bytes(scope.get("query_string", b"")):
            await _refuse(scope, receive, send, field="path or query")
            return
        if not _is_json(scope):
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if b"\x00" in body or _JSON_NUL.search(body):
            await _refuse(scope, receive, send, field="body")
            return
        if _JSON_LONE_SURROGATE.search(body):
            await _refuse(scope, receive, send, field="body", what="an unpaired surrogate (not a character)")
            return
        await self.app(scope, _replay(body, receive), send)


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            media: bytes = value.split(b";", 1)[0].strip().lower()
            return media == b"application/json" or media.endswith(b"+json")
    return False


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # after the body: wait for the disconnect, as Starlette expects
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _refuse(
    scope: Scope, receive: Receive, send: Send, *, field: str, what: str = "a NUL character"
) -> None:
    response = problem_response(
        422,
        detail=f"The request contains {what}, which is not allowed.",
        instance=scope["path"].replace("\x00", "%00"),
        errors=[{"field": field, "message": f"contains {what}"}],
    )
    await response(scope, receive, send)
