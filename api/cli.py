"""The ``cairn`` command line: one typer app, one module per command group in ``api.commands``.

Exit codes everywhere: 0 success / nothing blocking, 1 blocking findings,
2 bad input or usage. Errors are one line on stderr, never a traceback
(set ``CAIRN_DEBUG=1`` to see one).

Starting is cheap: registering a command imports its module, which imports
only typer, ``common``, ``formats`` and the light renderers; the services, the
analyses, the store and the heavy libraries (networkx, FastAPI, the Neo4j
driver, httpx, tree-sitter …) are imported inside the command that runs them
(``tests/e2e/test_startup.py`` checks what a query and ``--help`` import).
"""

from __future__ import annotations

import inspect
import os
import typing

import typer
from rich.markup import escape
from typer.models import ParameterInfo

from cairn.api.commands import changes, decisions, deps, explore, ingest, ownership, people, pr, query, reviews, serve
from cairn.api.common import handle_errors, run_app

app = typer.Typer(
    name="cairn",
    help="Cairn: a system-knowledge graph of components, dependencies, decisions and the people who know them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _commands in (ingest, deps, ownership, people, decisions, query, pr, explore, changes, serve, reviews):
    _commands.register(app)


def _literal_help(typer_app: typer.Typer) -> None:
    """Every help text shown as written: rich would read ``[tool.cairn]`` as a markup tag and drop it."""
    seen: set[int] = set()
    for command in typer_app.registered_commands:
        callback = command.callback
        command.help = escape(inspect.getdoc(callback) or "")
        hints = typing.get_type_hints(callback, include_extras=True)
        for name, parameter in inspect.signature(callback).parameters.items():
            infos = [parameter.default] + list(getattr(hints.get(name), "__metadata__", ()))
            for info in infos:
                if isinstance(info, ParameterInfo) and info.help and id(info) not in seen:
                    seen.add(id(info))
                    info.help = escape(info.help)


_literal_help(app)
for _command in app.registered_commands:
    _command.callback = handle_errors(_command.callback)


def main() -> None:
    run_app(app, debug=bool(os.environ.get("CAIRN_DEBUG")))
