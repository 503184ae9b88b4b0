"""``cairn serve`` (the HTTP API and web page) and ``cairn mcp`` (the agent tools over stdio)."""

from __future__ import annotations

import os
from typing import Optional

from cairn.api.common import (
    CairnError, CypherBytesOption, CypherRowsOption, CypherTimeoutOption, RepoOption, StoreOption, cypher_limits, err_console,
)
from cairn.api.params import App, Option

TOKEN_ENV = "CAIRN_API_TOKEN"
WEBHOOK_SECRET_ENV = "CAIRN_WEBHOOK_SECRET"


def register(app: App) -> None:
    app.command("serve")(serve)
    app.command("mcp")(mcp)


def serve(
    store: Optional[str] = StoreOption,
    host: str = Option("127.0.0.1", "--host", help="Interface to listen on (0.0.0.0 for every interface)"),
    port: int = Option(8000, "--port", min=0, max=65535, help="TCP port"),
    token: Optional[str] = Option(
        None, "--token", help=f"Bearer token every request but /api/v1/health must send (default: ${TOKEN_ENV})", show_default=False),
    public_read: bool = Option(False, "--public-read", help="With a token: let anyone call the GET endpoints (reads) without it"),
    webhook_secret: Optional[str] = Option(
        None, "--webhook-secret", help=f"Secret of the GitHub webhook (default: ${WEBHOOK_SECRET_ENV}); without it the webhook is off",
        show_default=False,
    ),
    allowed_host: list[str] = Option(
        [], "--allowed-host", help="A host name the server answers to besides IP addresses and localhost (repeatable; also $CAIRN_ALLOWED_HOSTS); "
        "'*' for any", show_default=False),
    max_body_bytes: Optional[int] = Option(
        None, "--max-body-bytes", help="Largest request body accepted, in bytes (default: $CAIRN_MAX_BODY_BYTES, else 32 MiB)", show_default=False),
    cypher_timeout: Optional[float] = CypherTimeoutOption,
    cypher_max_rows: Optional[int] = CypherRowsOption,
    cypher_max_bytes: Optional[int] = CypherBytesOption,
) -> None:
    """Serve the HTTP API (under /api/v1, OpenAPI at /docs) and the web page (at /)."""
    import uvicorn

    from cairn.api.app import create_app
    from cairn.api.bootstrap import store_location
    from cairn.api.hosts import allowed_hosts
    from cairn.api.limits import max_body_bytes as body_limit

    token = token or os.environ.get(TOKEN_ENV) or None
    webhook_secret = webhook_secret or os.environ.get(WEBHOOK_SECRET_ENV) or None
    location = store_location(store)
    limits = cypher_limits(cypher_timeout, cypher_max_rows, cypher_max_bytes)
    try:
        max_body = body_limit(max_body_bytes)
    except ValueError as exc:
        raise CairnError(str(exc)) from None
    if token is None and host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]warning:[/] serving on {host} without a token: anyone who reaches it can read the graph and start ingests "
                          f"(set --token or ${TOKEN_ENV})", highlight=False)
    if public_read and token is None:
        err_console.print("[yellow]warning:[/] --public-read has no effect without a token: everything is open already", highlight=False)
    _check_port_free(host, port)
    _check_github_credentials()
    app = create_app(location, token=token, webhook_secret=webhook_secret, public_read=public_read,
                     allowed_hosts=allowed_hosts(allowed_host, bound_host=host), max_body=max_body, cypher_limits=limits)
    err_console.print(f"Cairn on http://{host}:{port}/ (API docs at /docs), store {location}", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _check_github_credentials() -> None:
    """Half-configured GitHub credentials fail now with one line (a ``ForgeError``), not at the first pull request."""
    from cairn.api.services.posting import github_credentials

    kind = github_credentials(os.environ)
    if kind is not None:
        err_console.print(f"pull_request webhooks are fetched, checked and posted to GitHub with {kind}", highlight=False, soft_wrap=True)


def _check_port_free(host: str, port: int) -> None:
    """Fail with one line before uvicorn would log a traceback-like error and exit 1."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise CairnError(f"cannot listen on {host}: {exc.strerror}") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            raise CairnError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def mcp(store: Optional[str] = StoreOption, repo: Optional[str] = RepoOption, cypher_timeout: Optional[float] = CypherTimeoutOption,
        cypher_max_rows: Optional[int] = CypherRowsOption, cypher_max_bytes: Optional[int] = CypherBytesOption) -> None:
    """Serve Cairn's read queries to a coding agent as MCP tools over stdio (Cypher within the same limits as the API)."""
    from cairn.api.bootstrap import store_location
    from cairn.api.mcp import run_stdio

    run_stdio(store_location(store), repo, cypher_limits=cypher_limits(cypher_timeout, cypher_max_rows, cypher_max_bytes))
