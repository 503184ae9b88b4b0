"""Request size limits: an ASGI middleware in front of everything, and JSON parsing with a depth limit.

``BodyLimit`` wraps the whole application, so it acts before any routing,
parsing or authentication. A request whose ``Content-Length`` is over the limit
is answered 413 without its body being read. A body without a length
(``Transfer-Encoding: chunked``) is read by the middleware first; at the first
byte over the limit what it read is dropped, the client gets the 413 and the
application never runs, so no request holds more than the limit in memory
(and nothing of it waits for the garbage collector). The server then reads the
rest of the body and throws it away; the connection stays usable.

``load_json`` parses a body Cairn reads itself (the webhook) and turns JSON
nested deeper than Python can parse into ``JSONTooDeep`` (a 400), not a
``RecursionError``.
"""

from __future__ import annotations

import json
import os
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_ENV = "CAIRN_MAX_BODY_BYTES"
DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024  # a PR check carries a diff (5 MB) and the post-change files
MAX_BODY_RANGE = (1024, 1 << 31)
PROBLEM_MEDIA_TYPE = b"application/problem+json"


def max_body_bytes(explicit: int | None = None) -> int:
    """The body limit: ``explicit`` (``--max-body-bytes``), else ``$CAIRN_MAX_BODY_BYTES``, else 32 MiB."""
    value: Any = explicit
    if value is None:
        raw = os.environ.get(MAX_BODY_ENV)
        if raw in (None, ""):
            return DEFAULT_MAX_BODY_BYTES
        try:
            value = int(raw.replace("_", ""))
        except ValueError:
            raise ValueError(f"${MAX_BODY_ENV} must be a number of bytes, not {raw!r}") from None
    low, high = MAX_BODY_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"the request body limit must be from {low} to {high} bytes, not {value!r}")
    return value


def _problem(status: int, title: str, detail: str, path: str) -> tuple[Message, Message]:
    body = json.dumps({"type": f"urn:cairn:problem:{title.lower().replace(' ', '-')}", "title": title, "status": status,
                       "detail": detail, "instance": path}).encode()
    start = {"type": "http.response.start", "status": status,
             "headers": [(b"content-type", PROBLEM_MEDIA_TYPE), (b"content-length", str(len(body)).encode())]}
    return start, {"type": "http.response.body", "body": body, "more_body": False}


class BodyLimit:
    """ASGI middleware: no request body over ``limit`` bytes reaches the application (413 problem+json)."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def _answer(self, send: Send, messages: tuple[Message, Message]) -> None:
        for message in messages:
            await send(message)

    def _too_large(self, path: str) -> tuple[Message, Message]:
        return _problem(413, "Request too large",
                        f"request bodies are limited to {self.limit:,} bytes on this server (cairn serve --max-body-bytes)", path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        lengths = {value.strip() for key, value in scope.get("headers", ()) if key.lower() == b"content-length"}
        if not lengths:
            await self._read_then_call(scope, receive, send)
            return
        if len(lengths) > 1 or not all(v.isdigit() for v in lengths):
            await self._answer(send, _problem(400, "Bad request", "the Content-Length header is not one number", path))
            return
        declared = next(iter(lengths))
        if len(declared) > 18 or int(declared) > self.limit:
            await self._answer(send, self._too_large(path))
            return
        await self.app(scope, self._counted(receive), send)

    async def _read_then_call(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A body of unknown length (chunked) is read here first, so that cutting it off at the limit leaves
        nothing of it behind in the application (whose partial reads would wait for the cycle collector);
        the application then gets the same pieces, without a copy."""
        pieces: list[Message] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left: let the application see it
                await self.app(scope, _replay(pieces + [message], receive), send)
                return
            size += len(message.get("body", b""))
            if size > self.limit:
                pieces.clear()
                await self._answer(send, self._too_large(scope.get("path", "")))
                return
            pieces.append(message)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(pieces, receive), send)

    def _counted(self, receive: Receive) -> Receive:
        """``receive`` that ends the body at the limit even if a client sends more than it declared."""
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    return {"type": "http.disconnect"}
            return message

        return counted


def _replay(first: list[Message], receive: Receive) -> Receive:
    """``receive`` that gives ``first`` and then whatever the real one gives (the client leaving, say)."""
    pending = list(reversed(first))

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


class JSONTooDeep(ValueError):
    """The JSON is nested deeper than it can be parsed."""


def load_json(body: bytes | str) -> Any:
    """``json.loads``, with nesting too deep for the parser as ``JSONTooDeep`` instead of a ``RecursionError``."""
    try:
        return json.loads(body)
    except RecursionError:
        raise JSONTooDeep("the JSON is nested too deeply to be parsed") from None
