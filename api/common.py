"""What every CLI command shares: store and repository options, output formats, error handling.

Errors: every ``CairnError`` (``graph.errors``) is printed as one line on
stderr (``print_error``) with exit code 2, by ``cli.invoke`` and only there;
anything else is a bug and says so (``print_bug``; ``CAIRN_DEBUG=1`` shows
the traceback).

Importing this module is cheap, and must stay so: every command module imports
it when the CLI starts, even for ``cairn --help``. The store and the services
are imported when a command first uses them (``opened_workspace``), never
here; the consoles are ``render.console``'s (the standard library only).
"""

from __future__ import annotations

import json
import math
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Optional

from cairn.api.params import Option
from cairn.api.render.console import console, err_console, escape
from cairn.graph.errors import CairnError

__all__ = ["CairnError", "CypherBytesOption", "CypherRowsOption", "CypherTimeoutOption", "EXIT_BAD_INPUT", "EXIT_BLOCKING", "EXIT_OK",
           "OutputFormat", "RepoOption", "StoreOption", "console", "cypher_limits", "err_console", "json_safe",
           "left_nothing_to_finish", "nothing_left_to_finish", "opened_workspace", "print_bug", "print_error", "print_json"]

if TYPE_CHECKING:
    from cairn.api.services.workspace import Workspace
    from cairn.graph.cypher_policy import CypherLimits


EXIT_OK = 0
EXIT_BLOCKING = 1
EXIT_BAD_INPUT = 2


class OutputFormat(str, Enum):
    json = "json"
    table = "table"
    markdown = "markdown"
    sarif = "sarif"
    codeclimate = "codeclimate"


StoreOption = Option(
    None, "--store", show_default=False,
    help="Store directory or bolt:// / neo4j:// URI (default: $CAIRN_STORE, else the nearest .cairn/ up to the repository root)",
)
RepoOption = Option(None, "--repo", help="Repository name in the store (default: the only one, or the checkout you are in)")


CypherTimeoutOption = Option(None, "--cypher-timeout", help="Seconds a Cypher query may run (default: $CAIRN_CYPHER_TIMEOUT, else 30)",
                                   show_default=False)
CypherRowsOption = Option(None, "--cypher-max-rows", help="Rows a Cypher answer may have (default: $CAIRN_CYPHER_MAX_ROWS, else 10,000)",
                                show_default=False)
CypherBytesOption = Option(None, "--cypher-max-bytes",
                                 help="Bytes of JSON a Cypher answer may take (default: $CAIRN_CYPHER_MAX_BYTES, else 16 MiB)", show_default=False)


def cypher_limits(timeout: Optional[float], max_rows: Optional[int], max_bytes: Optional[int]) -> "CypherLimits":
    """The Cypher limits from the options, else the environment, else the defaults; a bad value is a one-line error."""
    from cairn.graph.cypher_policy import CypherLimits

    try:
        return CypherLimits.from_env(timeout_seconds=timeout, max_rows=max_rows, max_bytes=max_bytes)
    except ValueError as exc:
        raise CairnError(str(exc)) from None


@contextmanager
def opened_workspace(location: Optional[str], *, create: bool = False, checkout: Path | None = None) -> Iterator[Workspace]:
    """The store at ``--store`` (or the one found from here) as a workspace; inside a checkout, its repository is the default.

    Reading needs a store that exists (else one line saying where Cairn looked);
    ``create`` (ingest) opens the one found, or a new one where it belongs (for ``checkout``, the repository
    ingested: ``bootstrap.ingest_store_location``).
    """
    from cairn.api.bootstrap import existing_store_location, ingest_store_location, open_store, store_location
    from cairn.api.services.workspace import Workspace

    if create:
        location = ingest_store_location(location, checkout) if checkout is not None else store_location(location)
    store = open_store(location if create else existing_store_location(location))
    with Workspace(store, naming_hint="choose one with --repo", cwd=Path.cwd(), label=store.location) as ws:
        yield ws


def print_json(data: Any) -> None:
    """``data`` as JSON on stdout; NaN and infinities, which JSON cannot carry, as null."""
    try:  # most answers hold no such number: not walking them first saves a third of printing a large one
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str, allow_nan=False)
    except ValueError:
        text = json.dumps(json_safe(data), indent=2, ensure_ascii=False, default=str, allow_nan=False)
    sys.stdout.write(text + "\n")


def json_safe(value: Any) -> Any:
    """``value`` with every float that is NaN or infinite replaced by None (JSON has no such numbers)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


#: Whether the command that runs said it leaves nothing for the process's end to finish (``nothing_left_to_finish``).
_nothing_left = False


def nothing_left_to_finish(said: bool = True) -> None:
    """Say the command that runs leaves nothing for the end of its process to finish: no file open for writing, no
    store open, no thread, child process or exit handler of its own. ``cli.main`` then ends the process as soon as
    its output is written, without tearing the interpreter down (freeing every module and object one by one: ~1.3 ms
    of an ingest that finds nothing changed). ``said=False``: not said (yet)."""
    global _nothing_left
    _nothing_left = said


def left_nothing_to_finish() -> bool:
    """Whether the command said ``nothing_left_to_finish``."""
    return _nothing_left


def print_error(message: str) -> None:
    """``error: MESSAGE`` on stderr, the message shown as written (never read as markup)."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)


def print_bug(exc: BaseException) -> None:
    """One line for an error Cairn did not expect: a bug, and how to see the traceback."""
    err_console.print(
        f"[bold red]error:[/] {type(exc).__name__}: {escape(str(exc))} (this is a bug in Cairn; rerun with CAIRN_DEBUG=1 for details)",
        highlight=False,
        soft_wrap=True,
    )
