"""The ``--format`` option of every CLI command, declared in one line per command.

A command names the formats it prints::

    DepsFormat = formats("deps", JSON, TABLE)

    def deps(..., format: DepsFormat = TABLE) -> None: ...

and the option lists exactly those in ``--help`` (``<json|table>``), and refuses any other value, a known format the command does
not print or a typo alike, with exit code 2 and one line:
``error: cairn deps supports --format json|table, not sarif``.
The command receives the shared ``OutputFormat`` member.
"""

from __future__ import annotations

from typing import Annotated, Any

from cairn.api.common import OutputFormat
from cairn.api.params import Option
from cairn.graph.errors import CairnError

JSON, TABLE, MARKDOWN, SARIF = OutputFormat.json, OutputFormat.table, OutputFormat.markdown, OutputFormat.sarif
CODECLIMATE = OutputFormat.codeclimate

FORMAT_HELP = {
    JSON: "json (for scripts)",
    TABLE: "table (for people)",
    MARKDOWN: "markdown (for a wiki page, a PR comment or an agent's context)",
    SARIF: "sarif (for code-scanning tools)",
    CODECLIMATE: "codeclimate (GitLab Code Quality)",
}


class UnsupportedFormat(CairnError):
    """A ``--format`` value the command does not print."""


def formats(command: str, *supported: OutputFormat) -> Any:
    """The ``--format`` parameter type of ``cairn COMMAND``: exactly the ``supported`` formats."""
    if not supported:
        raise ValueError("a command prints at least one format")
    supported = tuple(f for f in OutputFormat if f in supported)  # listed in one order everywhere
    names = "|".join(f.value for f in supported)

    def parse(text: str) -> OutputFormat:
        if text not in names.split("|"):
            raise UnsupportedFormat(f"cairn {command} supports --format {names}, not {text}")
        return OutputFormat(text)

    help_text = "Output: " + ", ".join(FORMAT_HELP[f] for f in supported)
    return Annotated[OutputFormat, Option("--format", parser=parse, help=help_text, metavar=f"<{names}>")]
