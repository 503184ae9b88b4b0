"""Request size limits: an ASGI middleware in front of everything, and JSON parsing with a depth limit.

``BodyLimit`` wraps the whole application, so it acts before any routing,
parsing or authentication. A request whose ``Content-Length`` is over the limit
is answered 413 without its body being read. A body without a length
(``Transfer-Encoding: chunked``) is counted as the application reads it; at the
first byte over the limit the client gets the 413 and the application sees the
client gone, so no request holds more than the limit in memory. The server then
reads the rest of the body and throws it away (the connection stays usable).

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

    def _too_large(self, path: str) -> tuple[Message, Message]:
        return _problem(413, "Request too large",
                        f"request bodies are limited to {self.limit:,} bytes on this server (cairn serve --max-body-bytes)", path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lengths = {value.strip() for key, value in scope.get("headers", ()) if key.lower() == b"content-length"}
        path = scope.get("path", "")
        if lengths:
            if len(lengths) > 1 or not all(v.isdigit() for v in lengths):
                for message in _problem(400, "Bad request", "the Content-Length header is not one number", path):
                    await send(message)
                return
            declared = next(iter(lengths))
            if len(declared) > 18 or int(declared) > self.limit:
                for message in self._too_large(path):
                    await send(message)
                return
        received = 0
        answered = False  # we sent the 413; the application's own answer is dropped
        started = False

        async def limited_receive() -> Message:
            nonlocal received, answered
            if answered:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    if not started:
                        for reply in self._too_large(path):
                            await send(reply)
                        answered = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if answered:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, guarded_send)


class JSONTooDeep(ValueError):
    """The JSON is nested deeper than it can be parsed."""


def load_json(body: bytes | str) -> Any:
    """``json.loads``, with nesting too deep for the parser as ``JSONTooDeep`` instead of a ``RecursionError``."""
    try:
        return json.loads(body)
    except RecursionError:
        raise JSONTooDeep("the JSON is nested too deeply to be parsed") from None
