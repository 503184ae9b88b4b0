"""The ``cairn`` command line: one typer app, one module per command group in ``api.commands``.

Exit codes everywhere: 0 success / nothing blocking, 1 blocking findings,
2 bad input or usage. Errors are one line on stderr, never a traceback
(set ``CAIRN_DEBUG=1`` to see one).
"""

from __future__ import annotations

import importlib
import os

import typer

app = typer.Typer(
    name="cairn",
    help="Cairn: a system-knowledge graph of components, dependencies, decisions and the people who know them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Command modules; each defines ``register(app)``.
COMMAND_MODULES = [
    "cairn.api.commands.ingest",
    "cairn.api.commands.deps",
    "cairn.api.commands.ownership",
    "cairn.api.commands.decisions",
    "cairn.api.commands.query",
    "cairn.api.commands.pr",
    "cairn.api.commands.explore",
    "cairn.api.commands.changes",
    "cairn.api.commands.serve",
]

for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # a command group not built yet
        if exc.name != _name:
            raise
        continue
    _module.register(app)

for _command in app.registered_commands:
    from cairn.api.common import handle_errors

    _command.callback = handle_errors(_command.callback)


def main() -> None:
    from cairn.api.common import run_app

    run_app(app, debug=bool(os.environ.get("CAIRN_DEBUG")))
