"""Who may call the HTTP API, and what a caller without the token is shown.

``authorize`` is the one access check. ``create_app`` applies it to whole routers
when it includes them, so every route under ``/api/v1`` is covered, routes added
later included, except two: ``/health`` (open, for load balancers) and the GitHub
webhook (GitHub cannot send a bearer token; its HMAC signature authenticates it).

* With a token (``cairn serve --token`` or ``$CAIRN_API_TOKEN``) every covered
  request needs ``Authorization: Bearer <token>``, compared in constant time;
  ``--public-read`` opens the GET routes to anyone, deliberately.
* Without a token the server is a local, single-user one. A state-changing
  request (POST …) must then carry ``Content-Type: application/json`` or the
  ``X-Cairn-Client`` header: a web page on another site can send neither without
  a CORS preflight, which this server never grants, so it cannot start an ingest
  in the user's name.
* Server filesystem paths (checkout paths, the store directory) are shown only
  to a request that presented the token: ``shows_server_paths`` for the routes,
  ``redact_server_paths`` for problem details. URLs never carry credentials
  (``without_userinfo``), whoever asks.
"""

from __future__ import annotations

import hmac
import re
from pathlib import Path
from typing import Annotated, Any, Iterable

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cairn.api.deps import ProblemError

CLIENT_HEADER = "X-Cairn-Client"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="cairn"'}
REDACTED = "<server path>"

_bearer = HTTPBearer(auto_error=False, description="The API token (`cairn serve --token` or $CAIRN_API_TOKEN)")


def authorize(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """Let the request through, or answer 401 (no or wrong token) / 415 (a forgeable cross-site write)."""
    state = request.app.state.cairn
    token: str | None = state.token
    request.state.authenticated = False
    if token is not None and credentials is not None:
        if not hmac.compare_digest(credentials.credentials.encode(), token.encode()):
            raise ProblemError(401, "Invalid token", "the bearer token does not match the server's token", slug="invalid-token",
                               headers=CHALLENGE)
        request.state.authenticated = True
        return
    if token is not None:
        if request.method in SAFE_METHODS and state.public_read:
            return
        raise ProblemError(401, "Authentication required",
                           "this server has a token: send Authorization: Bearer <token> (the token it was started with)",
                           slug="authentication-required", headers=CHALLENGE)
    if request.method not in SAFE_METHODS and not _not_cross_site(request):
        raise ProblemError(415, "Unsupported media type",
                           f"a {request.method} request must send Content-Type: application/json (or the {CLIENT_HEADER} header), "
                           "so that a web page on another site cannot send it", slug="json-required")


def _not_cross_site(request: Request) -> bool:
    """Whether a browser would have needed a CORS preflight to send this request."""
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type == "application/json" or (content_type.startswith("application/") and content_type.endswith("+json")):
        return True
    return CLIENT_HEADER in request.headers or "authorization" in request.headers


def shows_server_paths(request: Request) -> bool:
    """Whether this request presented the server's token, and may see server filesystem paths."""
    return bool(getattr(request.state, "authenticated", False))


_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")
_LOCAL = re.compile(r"^(?:/|~|\.{1,2}(?:/|$)|file:|[A-Za-z]:[\\/])")


def without_userinfo(url: str | None) -> str | None:
    """``url`` without ``user:password@`` (``https://ci-bot:ghp_x@github.com/a/b`` → ``https://github.com/a/b``)."""
    return _USERINFO.sub(r"\1", url) if url else url


def public_remote(url: str | None, *, show_paths: bool) -> str | None:
    """A remote as it may be served: never with credentials; a local path only to a caller with the token."""
    url = without_userinfo(url)
    if url and not show_paths and _LOCAL.match(url):
        return None
    return url


def server_paths(state: Any) -> list[str]:
    """The server's own paths a message may name: the store, every registered checkout, the home directory."""
    paths: set[str] = set()
    store = state.workspace.store
    location = str(getattr(store, "location", "") or "")
    if location and "://" not in location:
        paths |= {location, str(Path(location).resolve())}
    try:
        paths |= {str(r.props["path"]) for r in store.repositories() if r.props.get("path")}
    except Exception:  # the store may be the very thing that failed
        pass
    paths.add(str(Path.home()))
    return [p for p in paths if len(p) > 1]


def redact_server_paths(text: str, paths: Iterable[str]) -> str:
    """``text`` with every one of ``paths`` (as a whole path, not inside a longer name) replaced by ``<server path>``."""
    for path in sorted(set(paths), key=len, reverse=True):
        text = re.sub(r"(?<![\w.~/-])" + re.escape(path.rstrip("/")) + r"(?![\w.~-])", REDACTED, text)
    return text


def redact_server_paths_in(value: Any, paths: Iterable[str]) -> Any:
    """``value`` (JSON-like) with every string passed through ``redact_server_paths``."""
    paths = list(paths)
    if isinstance(value, str):
        return redact_server_paths(value, paths)
    if isinstance(value, dict):
        return {k: redact_server_paths_in(v, paths) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_server_paths_in(v, paths) for v in value]
    return value
