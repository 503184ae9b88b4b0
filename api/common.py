"""What every CLI command shares: store and repository options, output formats, error handling."""

from __future__ import annotations

import json
import math
import sys
from contextlib import contextmanager
from enum import Enum
from typing import TYPE_CHECKING, Any, Iterator, Optional

import typer
from rich.console import Console

from cairn.graph.model import RepoGraph
from cairn.graph.store import GraphStore, StoreError, open_store

if TYPE_CHECKING:
    from cairn.graph.cypher_policy import CypherLimits

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
    None, "--store", help="Store directory or bolt:// / neo4j:// URI (default: $CAIRN_STORE, else .cairn)", show_default=False
)
RepoOption = typer.Option(None, "--repo", help="Repository name in the store (default: the only one, or the checkout you are in)")


CypherTimeoutOption = typer.Option(None, "--cypher-timeout", help="Seconds a Cypher query may run (default: $CAIRN_CYPHER_TIMEOUT, else 30)",
                                   show_default=False)
CypherRowsOption = typer.Option(None, "--cypher-max-rows", help="Rows a Cypher answer may have (default: $CAIRN_CYPHER_MAX_ROWS, else 10,000)",
                                show_default=False)
CypherBytesOption = typer.Option(None, "--cypher-max-bytes",
                                 help="Bytes of JSON a Cypher answer may take (default: $CAIRN_CYPHER_MAX_BYTES, else 16 MiB)", show_default=False)


def cypher_limits(timeout: Optional[float], max_rows: Optional[int], max_bytes: Optional[int]) -> "CypherLimits":
    """The Cypher limits from the options, else the environment, else the defaults; a bad value is a one-line error."""
    from cairn.graph.cypher_policy import CypherLimits

    try:
        return CypherLimits.from_env(timeout_seconds=timeout, max_rows=max_rows, max_bytes=max_bytes)
    except ValueError as exc:
        raise CairnError(str(exc)) from None


class CairnError(Exception):
    """An error for a person: printed as one line, exit code 2 unless given."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT):
        super().__init__(message)
        self.exit_code = exit_code


@contextmanager
def opened_store(location: Optional[str]) -> Iterator[GraphStore]:
    store = open_store(location)
    try:
        yield store
    finally:
        store.close()


def load_repo_graph(store: GraphStore, repo: Optional[str]) -> RepoGraph:
    return store.load(store.resolve_repo(repo))


def print_json(data: Any) -> None:
    """``data`` as JSON on stdout; NaN and infinities, which JSON cannot carry, as null."""
    sys.stdout.write(json.dumps(json_safe(data), indent=2, ensure_ascii=False, default=str, allow_nan=False) + "\n")


def json_safe(value: Any) -> Any:
    """``value`` with every float that is NaN or infinite replaced by None (JSON has no such numbers)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def handle_errors(fn):
    """Turn the errors a person can act on into one line on stderr and exit code 2.

    Applied to every command, so the CLI behaves the same whether run as the
    console script or through typer's test runner.
    """
    import functools
    import os

    from cairn.ingest.config import ConfigError

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (CairnError, StoreError, ConfigError) as exc:
            if os.environ.get("CAIRN_DEBUG"):
                raise
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(getattr(exc, "exit_code", EXIT_BAD_INPUT)) from None

    return wrapper


def run_app(app: typer.Typer, debug: bool = False) -> None:
    """Run the typer app, turning known errors into one line and exit code 2."""
    from cairn.ingest.config import ConfigError

    try:
        code = app(standalone_mode=False)  # click returns the code of a typer.Exit here
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (CairnError, StoreError, ConfigError) as exc:
        if debug:
            raise
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(getattr(exc, "exit_code", EXIT_BAD_INPUT))
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
            f"[bold red]error:[/] {type(exc).__name__}: {exc} (this is a bug in Cairn; rerun with CAIRN_DEBUG=1 for details)",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(EXIT_BAD_INPUT)
