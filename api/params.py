"""How a CLI command declares its parameters (``Option``, ``Argument``), ends (``Exit``) and is registered (``App``).

A command is a plain function; each parameter's default says what it is on
the command line, and its annotation what the value is::

    def hotspots(limit: int = Option(20, "--limit", min=1, help="At most this many files"), ...) -> None:

``api.cli`` reads the function (``inspect`` and ``typing``) and builds the
command's ``argparse`` parser when that command runs (or shows its help):
``str``, ``int``, ``float``, ``Path``, an ``Enum`` (its values are the
choices), ``bool`` (a flag), ``list[str]`` (a repeatable option, or an argument taking one value or more), each
``Optional`` or not; ``min``/``max`` bound a number; ``parser`` turns the
text into the value itself (``api.formats``). An ``Option`` or ``Argument``
whose default is ``...`` is required.

Nothing here imports more than the standard library: every command module
imports this when the CLI starts.
"""

from __future__ import annotations

import sys
from typing import Any, Callable

__all__ = ["App", "Argument", "Exit", "Option", "echo"]


class Parameter:
    """What an ``Option`` and an ``Argument`` share: the default (``...`` for required), the help text, bounds."""

    def __init__(self, default: Any = ..., *, help: str = "", min: float | None = None, max: float | None = None,
                 metavar: str | None = None, show_default: bool = True, parser: Callable[[str], Any] | None = None) -> None:
        self.default = default
        self.help = help
        self.min = min
        self.max = max
        self.metavar = metavar
        self.show_default = show_default
        self.parser = parser

    @property
    def required(self) -> bool:
        return self.default is ...


class Option(Parameter):
    """A ``--name VALUE`` option (a flag when the value is a ``bool``); ``flags`` are its spellings."""

    def __init__(self, default: Any = ..., *flags: str, **kwargs: Any) -> None:
        super().__init__(default, **kwargs)
        self.flags = flags


class Argument(Parameter):
    """A positional argument; optional when it has a default."""


class Exit(Exception):
    """End the command with ``exit_code`` (1: blocking findings), after what it printed."""

    def __init__(self, exit_code: int = 0) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code


def echo(text: str, nl: bool = True) -> None:
    """``text`` on stdout as it is (Markdown, a report), with a newline unless ``nl`` is False."""
    sys.stdout.write(text + ("\n" if nl else ""))
    sys.stdout.flush()


class App:
    """The commands of ``cairn`` (or of a group such as ``cairn reviews``), by name, in the order ``--help`` lists them.

    ``lazy`` names commands before they are registered: command name -> the module whose ``register(app)`` adds it,
    imported when that command is wanted (``get``), or every one of them when all are (``commands``)."""

    def __init__(self, help: str = "", *, lazy: dict[str, str] | None = None) -> None:
        self.help = help
        self._commands: dict[str, Callable[..., Any] | App] = {}
        self._order = list(lazy or ())
        self._lazy = dict(lazy or {})

    @property
    def commands(self) -> dict[str, Callable[..., Any] | App]:
        """Every command, by name, in the order ``--help`` lists them (the lazy ones first, in the order named)."""
        for module in dict.fromkeys(self._lazy.values()):
            self._load(module)
        return {**{name: self._commands[name] for name in self._order}, **self._commands}

    def get(self, name: str) -> Callable[..., Any] | App | None:
        """The command ``name`` (None: there is none), importing only the module that registers it."""
        if name in self._lazy:
            self._load(self._lazy[name])
        return self._commands.get(name)

    def _load(self, module: str) -> None:
        # (``__import__``, not ``importlib.import_module``: ``python -X importtime``, which tests/e2e/test_startup.py
        # reads, sees only the former)
        __import__(module, fromlist=["register"]).register(self)
        names = [name for name, named in self._lazy.items() if named == module]
        self._lazy = {name: named for name, named in self._lazy.items() if named != module}
        if missing := [name for name in names if name not in self._commands]:
            raise LookupError(f"{module} registers no command {', '.join(missing)}")

    def command(self, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(function: Callable[..., Any]) -> Callable[..., Any]:
            self._commands[name] = function
            return function

        return register

    def add_group(self, group: "App", name: str) -> None:
        self._commands[name] = group
