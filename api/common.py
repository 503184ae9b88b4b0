"""What every CLI command shares: store and repository options, output formats, error handling.

Errors: every ``CairnError`` (``graph.errors``) is printed as one line on
stderr with exit code 2, here and only here; anything else is a bug and says
so (``CAIRN_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any, Iterator, Optional

import typer
from rich.console import Console
from rich.markup import escape

from cairn.api.bootstrap import existing_store_location, open_store, store_location
from cairn.api.services.workspace import Workspace
from cairn.graph.errors import CairnError

__all__ = ["CairnError", "EXIT_BAD_INPUT", "EXIT_BLOCKING", "EXIT_OK", "OutputFormat", "RepoOption", "StoreOption", "console",
           "err_console", "handle_errors", "opened_workspace", "print_json", "run_app"]

console = Console()
err_console = Console(stderr=True)

EXIT_OK = 0
EXIT_BLOCKING = 1
EXIT_BAD_INPUT = 2


class OutputFormat(str, Enum):
    json = "json"
    table = "table"
    markdown = "markdown"
    sarif = "sarif"


StoreOption = typer.Option(
    None, "--store", show_default=False,
    help="Store directory or bolt:// / neo4j:// URI (default: $CAIRN_STORE, else the nearest .cairn/ up to the repository root)",
)
RepoOption = typer.Option(None, "--repo", help="Repository name in the store (default: the only one, or the checkout you are in)")


@contextmanager
def opened_workspace(location: Optional[str], *, create: bool = False) -> Iterator[Workspace]:
    """The store at ``--store`` (or the one found from here) as a workspace; inside a checkout, its repository is the default.

    Reading needs a store that exists (else one line saying where Cairn looked);
    ``create`` (ingest) opens the one found, or a new one where it belongs.
    """
    store = open_store(store_location(location) if create else existing_store_location(location))
    with Workspace(store, naming_hint="choose one with --repo", cwd=Path.cwd(), label=store.location) as ws:
        yield ws


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def handle_errors(fn):
    """Turn the errors a person can act on into one line on stderr and exit code 2.

    Applied to every command, so the CLI behaves the same whether run as the
    console script or through typer's test runner.
    """
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except CairnError as exc:
            if os.environ.get("CAIRN_DEBUG"):
                raise
            _print_error(exc)
            raise typer.Exit(EXIT_BAD_INPUT) from None

    return wrapper


def run_app(app: typer.Typer, debug: bool = False) -> None:
    """Run the typer app, turning known errors into one line and exit code 2."""
    try:
        code = app(standalone_mode=False)  # click returns the code of a typer.Exit here
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except CairnError as exc:
        if debug:
            raise
        _print_error(exc)
        sys.exit(EXIT_BAD_INPUT)
    except Exception as exc:  # click usage errors and anything unexpected
        # typer may vendor its own click, so recognise click's exceptions by behaviour, not class.
        if type(exc).__name__ == "Abort":
            err_console.print("aborted")
            sys.exit(130)
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(EXIT_BAD_INPUT)
        if debug:
            raise
        err_console.print(
            f"[bold red]error:[/] {type(exc).__name__}: {escape(str(exc))} (this is a bug in Cairn; rerun with CAIRN_DEBUG=1 for details)",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(EXIT_BAD_INPUT)


def _print_error(exc: CairnError) -> None:
    err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
