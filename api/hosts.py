"""The Host-header allow-list: an ASGI middleware against DNS rebinding.

A web page on an attacker's site can make its own host name resolve to
127.0.0.1 and then call a Cairn server on the user's machine as if it were
same-origin. Its requests still carry the attacker's name in ``Host``, so the
server answers only requests whose ``Host`` is an IP address, ``localhost`` (or
a ``*.localhost`` name), the name it was bound to, or a name added with
``--allowed-host`` / ``$CAIRN_ALLOWED_HOSTS`` (comma-separated; ``*`` turns the
check off, for a server behind a proxy that checks names itself).
"""

from __future__ import annotations

import ipaddress
import json
import os
from typing import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

ALLOWED_HOSTS_ENV = "CAIRN_ALLOWED_HOSTS"


def allowed_hosts(explicit: Iterable[str] = (), bound_host: str | None = None) -> list[str]:
    """The names to allow besides IP addresses and localhost: ``explicit``, ``$CAIRN_ALLOWED_HOSTS``, the bound host."""
    names = [n.strip() for n in explicit if n and n.strip()]
    names += [n.strip() for n in os.environ.get(ALLOWED_HOSTS_ENV, "").split(",") if n.strip()]
    if bound_host and not _is_ip(bound_host.strip("[]")):
        names.append(bound_host)
    return names


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_name(header: str) -> str:
    """The name part of a ``Host`` header value, lower-case: ``[::1]:8000`` → ``::1``, ``Example.org.:80`` → ``example.org``."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


class HostAllowList:
    """ASGI middleware: 400 problem+json for a ``Host`` that is not allowed."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str] = ()):
        self.app = app
        self.names = {host_name(n) for n in allowed}
        self.anything = "*" in self.names

    def permits(self, header: str) -> bool:
        name = host_name(header)
        return (self.anything or _is_ip(name) or name == "localhost" or name.endswith(".localhost") or name in self.names)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            header = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k.lower() == b"host"), None)
            if header is not None and not self.permits(header):
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                body = json.dumps({
                    "type": "urn:cairn:problem:host-not-allowed", "title": "Host not allowed", "status": 400,
                    "detail": f"this server does not answer to the name {host_name(header)!r}: start it with "
                              f"--allowed-host {host_name(header)} (or ${ALLOWED_HOSTS_ENV}) if that name is really its own",
                    "instance": scope.get("path", ""),
                }).encode()
                await send({"type": "http.response.start", "status": 400,
                            "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
