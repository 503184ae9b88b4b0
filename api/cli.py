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
import sys
import typing

import typer
from rich.markup import escape
from typer.models import ParameterInfo

from cairn.api.commands import changes, decisions, deps, explore, ingest, ownership, people, pr, query, reviews, serve
from cairn.api.common import handle_errors, run_app

SETTINGS = dict(
    name="cairn",
    help="Cairn: a system-knowledge graph of components, dependencies, decisions and the people who know them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app = typer.Typer(**SETTINGS)

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


def app_for(args: list[str]) -> typer.Typer:
    """The app to run for ``cairn ARGS``: when ``ARGS`` start with a command's name, one with that command only.

    Typer builds the parameters of every registered command before it runs one,
    which takes as long as a query on a small store; ``cairn --help``, a typo and
    the ``reviews`` group run the whole ``app``. The one-command app is a group
    too (its callback takes no options, as ``app`` has none), so usage lines and
    errors read ``cairn COMMAND`` as they do in ``app``.
    """
    command = next((c for c in app.registered_commands if args and c.name == args[0]), None)
    if command is None:
        return app
    one = typer.Typer(**SETTINGS, callback=_no_options)
    one.registered_commands.append(command)
    return one


def _no_options() -> None:
    pass


def main() -> None:
    run_app(app_for(sys.argv[1:]), debug=bool(os.environ.get("CAIRN_DEBUG")))
