"""``cairn serve`` (the HTTP API and web page) and ``cairn mcp`` (the agent tools over stdio)."""

from __future__ import annotations

import os
from typing import Optional

import typer

from cairn.api.common import CairnError, RepoOption, StoreOption, err_console
from cairn.api.bootstrap import store_location

TOKEN_ENV = "CAIRN_API_TOKEN"
WEBHOOK_SECRET_ENV = "CAIRN_WEBHOOK_SECRET"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("mcp")(mcp)


def serve(
    store: Optional[str] = StoreOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (0.0.0.0 for every interface)"),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="TCP port"),
    token: Optional[str] = typer.Option(None, "--token", help=f"Bearer token required for writes (default: ${TOKEN_ENV})", show_default=False),
    webhook_secret: Optional[str] = typer.Option(
        None, "--webhook-secret", help=f"Secret of the GitHub webhook (default: ${WEBHOOK_SECRET_ENV}); without it the webhook is off",
        show_default=False,
    ),
) -> None:
    """Serve the HTTP API (under /api/v1, OpenAPI at /docs) and the web page (at /)."""
    import uvicorn

    from cairn.api.app import create_app

    token = token or os.environ.get(TOKEN_ENV) or None
    webhook_secret = webhook_secret or os.environ.get(WEBHOOK_SECRET_ENV) or None
    location = store_location(store)
    if token is None and host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]warning:[/] serving on {host} without a token: anyone who reaches it can start ingests (set --token or ${TOKEN_ENV})",
                          highlight=False)
    _check_port_free(host, port)
    app = create_app(location, token=token, webhook_secret=webhook_secret)
    err_console.print(f"Cairn on http://{host}:{port}/ (API docs at /docs), store {location}", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")


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


def mcp(store: Optional[str] = StoreOption, repo: Optional[str] = RepoOption) -> None:
    """Serve Cairn's read queries to a coding agent as MCP tools over stdio."""
    from cairn.api.mcp import run_stdio

    run_stdio(store_location(store), repo)
