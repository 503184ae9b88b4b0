"""The ``cairn`` command line: one ``App`` of commands, one module per command group in ``api.commands``, parsed by argparse.

Exit codes everywhere: 0 success / nothing blocking, 1 blocking findings,
2 bad input or usage. Errors are one line on stderr, never a traceback
(set ``CAIRN_DEBUG=1`` to see one).

Starting is cheap: a query must answer in a few times ``python -c pass``
(``bench/startup.py``). Only the module of the command that runs is imported
(``COMMANDS``; ``--help`` imports them all). The command modules import only ``api.params``,
``api.common``, ``api.formats`` and the light renderers; the parser of a
command is built from its function (``api.params``) only when that command
runs or shows its help; the services, the analyses, the store and the heavy
libraries (networkx, FastAPI, the Neo4j driver, httpx, tree-sitter, rich …)
are imported inside the command that runs them (``tests/e2e/test_startup.py``
checks what a query and ``--help`` import).
"""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING, Any, Callable, NoReturn

from cairn.api.common import EXIT_BAD_INPUT, left_nothing_to_finish, nothing_left_to_finish, print_bug, print_error
from cairn.api.params import App, Argument, Exit, Parameter
from cairn.api.render.console import console
from cairn.graph.errors import CairnError

if TYPE_CHECKING:
    import argparse

__all__ = ["COMMANDS", "UsageError", "app", "command_parser", "invoke", "main"]

PROG = "cairn"
#: Each command, in the order ``cairn --help`` lists them, and its module in ``api.commands`` (whose ``register`` adds
#: it): a command imports its own module only, ``--help`` all of them.
COMMANDS = {
    "ingest": "ingest", "deps": "deps", "components": "deps", "bus-factor": "ownership", "who-knows": "ownership", "people": "people",
    "adrs": "decisions", "check": "decisions", "query": "query", "pr-check": "pr", "explore": "explore", "path": "explore",
    "reading-list": "explore", "search": "explore", "coupling": "changes", "hotspots": "changes", "agents": "changes",
    "trends": "changes", "serve": "serve", "mcp": "serve", "reviews": "reviews",
}
app = App(help="Cairn: a system-knowledge graph of components, dependencies, decisions and the people who know them.",
          lazy={name: f"cairn.api.commands.{module}" for name, module in COMMANDS.items()})

HELP_FLAGS = ("-h", "--help")
#: Whether ``main`` turned the collector off while the command starts, for ``_run`` to turn it back on.
_held_collector = False
METAVARS = {str: "TEXT", int: "INTEGER", float: "FLOAT"}


class UsageError(Exception):
    """A command line that does not fit the command: one line, exit code 2."""


def main() -> None:
    """The ``cairn`` console script. It ends the process (``SystemExit``; at once, ``os._exit``, when the command said
    it left nothing to finish: code that calls it then runs no further, not even its ``finally`` blocks)."""
    debug = bool(os.environ.get("CAIRN_DEBUG"))
    # Cairn's pydantic models are its own: no installed plugin is meant to observe them, and looking for plugins
    # reads every installed distribution's entry points on the first model built (~45 ms of an ingest or a PR check)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    global _held_collector
    # Starting (the command's module and what it imports, its parser) makes objects that live to the end and no garbage;
    # with the collector on, it walked them some twenty times (~2 ms of an ingest that finds nothing changed). The
    # command itself runs with the collector on (``_run``).
    _held_collector = gc.isenabled()
    gc.disable()
    nothing_left_to_finish(False)
    try:
        code = invoke(app, sys.argv[1:])
    except BrokenPipeError:  # the reader went away (`cairn bus-factor | head`): nothing more to say, as git does
        # what is still buffered for stdout would fail again at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    except Exception as exc:  # a bug: one line unless debugging
        if debug:
            raise
        print_bug(exc)
        code = EXIT_BAD_INPUT
    gc.freeze()  # the process ends here: its last collections need not walk every object the command made (~7 ms of a query)
    if left_nothing_to_finish():
        _end_now(code)
    sys.exit(code)


def _end_now(code: int) -> None:
    """End the process at once with ``code``, its output written (``common.nothing_left_to_finish``); when the output
    cannot be written, return: the usual end says so, as it always did."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


def invoke(group: App, argv: list[str], prog: str = PROG) -> int:
    """Run ``prog ARGV`` against ``group``: the exit code; errors a person can act on printed as one line.

    Anything else (a bug) is raised, for ``main`` to report.
    """
    try:
        return _dispatch(group, argv, prog)
    except Exit as exc:
        return exc.exit_code
    except (CairnError, UsageError) as exc:
        if os.environ.get("CAIRN_DEBUG") and isinstance(exc, CairnError):
            raise
        print_error(str(exc))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print_error("aborted")
        return 130


def _dispatch(group: App, argv: list[str], prog: str) -> int:
    if not argv or argv[0] in HELP_FLAGS:
        (sys.stdout if argv else sys.stderr).write(group_help(group, prog))
        return 0 if argv else EXIT_BAD_INPUT
    name, rest = argv[0], argv[1:]
    target = group.get(name)
    if target is None:
        import difflib

        close = difflib.get_close_matches(name, list(group.commands), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise UsageError(f"{prog}: no command {name!r}{hint}; {prog} --help lists them")
    if isinstance(target, App):
        return _dispatch(target, rest, f"{prog} {name}")
    return _run(target, rest, f"{prog} {name}")


def _run(command: Callable[..., Any], argv: list[str], prog: str) -> int:
    global _held_collector
    parser, convert = command_parser(command, prog)
    namespace = parser.parse_args(argv)
    arguments = {name: convert[name](value) for name, value in vars(namespace).items()}
    if _held_collector:  # (``main`` held it while starting)
        _held_collector = False
        # what starting made (modules, classes, functions) lives to the end: out of the collector's sight rather
        # than walked by its first collection
        gc.freeze()
        gc.enable()
    result = command(**arguments)
    return result if isinstance(result, int) else 0


# -- help ------------------------------------------------------------------------------------------------------------


def summary(target: Callable[..., Any] | App) -> str:
    """The first paragraph of a command's docstring (a group's help), on one line."""
    text = target.help if isinstance(target, App) else (target.__doc__ or "")
    return " ".join(text.strip().split("\n\n")[0].split())


def group_help(group: App, prog: str) -> str:
    """``cairn --help``: what Cairn is and each command with its summary, wrapped to the terminal."""
    import textwrap

    width = max(console.width - 2, 40)
    name_width = max(len(n) for n in group.commands) + 2
    lines = [f"usage: {prog} COMMAND [OPTIONS] [ARGS]...", ""]
    lines += textwrap.wrap(group.help, width) + ["", "commands:"]
    for name, target in group.commands.items():
        wrapped = textwrap.wrap(summary(target), max(width - name_width - 2, 20)) or [""]
        lines.append(f"  {name.ljust(name_width)}{wrapped[0]}")
        lines += [" " * (name_width + 2) + more for more in wrapped[1:]]
    lines += ["", f"`{prog} COMMAND --help` shows a command's options."]
    return "\n".join(lines) + "\n"


# -- a command's parser -------------------------------------------------------------------------------------------


def command_parser(command: Callable[..., Any], prog: str) -> tuple["argparse.ArgumentParser", dict[str, Callable[[Any], Any]]]:
    """The argparse parser of ``command`` (from its signature, see ``api.params``) and, per parameter, what makes its value."""
    import argparse
    import inspect
    import typing

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            raise UsageError(f"{prog}: {message} ({prog} --help lists the options)")

    def formatter(prog: str) -> argparse.HelpFormatter:  # given the width, argparse does not import shutil to ask it
        return argparse.RawDescriptionHelpFormatter(prog, width=max(console.width - 2, 40))

    parser = Parser(prog=prog, description=inspect.getdoc(command), formatter_class=formatter, allow_abbrev=False)
    hints = typing.get_type_hints(command, include_extras=True)
    convert: dict[str, Callable[[Any], Any]] = {}
    for name, parameter in inspect.signature(command).parameters.items():
        hint, info = hints.get(name, str), None
        if typing.get_origin(hint) is typing.Annotated:
            hint, *extras = typing.get_args(hint)
            info = next((e for e in extras if isinstance(e, Parameter)), None)
        default = parameter.default
        if isinstance(default, Parameter):
            info, default = default, default.default
        if info is None:
            raise TypeError(f"{prog}: parameter {name} is neither an Option nor an Argument")
        convert[name] = _add(parser, name, _bare(hint), info, default)
    return parser, convert


def _bare(hint: Any) -> Any:
    """``X`` for ``Optional[X]``."""
    import typing

    args = [a for a in typing.get_args(hint) if a is not type(None)]
    return args[0] if typing.get_origin(hint) is typing.Union and len(args) == 1 else hint


def _add(parser: "argparse.ArgumentParser", name: str, hint: Any, info: Parameter, default: Any) -> Callable[[Any], Any]:
    """Add the parameter ``name`` to ``parser``; what turns the parsed value into the one the command receives."""
    import typing
    from enum import Enum
    from pathlib import Path

    kwargs: dict[str, Any] = {"help": _help(info, default)}
    multiple = typing.get_origin(hint) in (list, typing.List)
    value_type = str if multiple else hint
    if info.parser is not None:
        kwargs["type"] = _checked(info.parser)
    elif isinstance(value_type, type) and issubclass(value_type, Enum):
        kwargs["type"] = _checked(lambda text: _choice(value_type, text))
        kwargs["metavar"] = "<" + "|".join(str(m.value) for m in value_type) + ">"
    elif value_type in (int, float):
        kwargs["type"] = _checked(lambda text: _number(value_type, text, info.min, info.max))
    elif value_type is Path:
        kwargs["type"] = Path
    kwargs.setdefault("metavar", info.metavar or ("PATH" if value_type is Path else METAVARS.get(value_type, "TEXT")))
    if isinstance(info, Argument):
        if info.metavar is None:
            kwargs["metavar"] = name.upper()
        if multiple:  # one or more values (none, when not required)
            parser.add_argument(name, nargs="+" if info.required else "*", default=None if info.required else default, **kwargs)
        else:
            parser.add_argument(name, nargs=None if info.required else "?", default=None if info.required else default, **kwargs)
        return _same
    flags = info.flags or (f"--{name.replace('_', '-')}",)
    if hint is bool:
        parser.add_argument(*flags, dest=name, action="store_true", default=bool(default), help=kwargs["help"])
        return _same
    if multiple:
        parser.add_argument(*flags, dest=name, action="append", default=None, **kwargs)
        return lambda values: values if values is not None else (list(default) if isinstance(default, list) else default)
    parser.add_argument(*flags, dest=name, required=info.required, default=None if info.required else default, **kwargs)
    return _same


def _same(value: Any) -> Any:
    return value


def _help(info: Parameter, default: Any) -> str:
    text = info.help
    if info.show_default and default not in (None, ..., False, []) and not isinstance(info, Argument):
        text += f"  [default: {getattr(default, 'value', default)}]"
    return text.replace("%", "%%")  # argparse formats help with %


def _checked(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """``parse`` for argparse: a ``ValueError`` message becomes the usage error's text."""
    import argparse

    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def _choice(enum: Any, text: str) -> Any:
    for member in enum:
        if member.value == text:
            return member
    raise ValueError(f"{text!r} is not one of " + ", ".join(repr(m.value) for m in enum))


def _number(kind: type, text: str, low: float | None, high: float | None) -> Any:
    try:
        value = kind(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a valid {'integer' if kind is int else 'number'}") from None
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = " and ".join(part for part in (f"x>={low}" if low is not None else "", f"x<={high}" if high is not None else "") if part)
        raise ValueError(f"{text} is not in the range {bounds}")
    return value

