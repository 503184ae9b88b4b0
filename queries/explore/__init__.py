"""Onboarding exploration over one repository's graph, one module per question.

* ``card`` — the component card: purpose, modules, dependencies in and out,
  governing decisions, knowledge holders, declared owners, recent activity;
* ``paths`` — the shortest dependency path between two components or modules,
  and the most central modules (PageRank);
* ``reading_list`` — what a newcomer should read first;
* ``search`` — components, modules, people and decisions by name.

Everything computes on a ``RepoGraph``; the results are JSON-like dicts shared
by the CLI, the HTTP API and the agent tools. Properties written by other
ingest steps (decisions, history, derived bus factor) may be missing: a graph
ingested without them still gives a useful card.
"""

import sys
from importlib import import_module
from types import ModuleType

from cairn.queries.explore.search import search

__all__ = ["central_modules", "component_card", "first_paragraph", "reading_list", "search", "shortest_path"]

#: What is imported from its module when first asked for: ``queries.explore.common`` (``cairn adrs`` reads it) comes
#: without the card and the paths (5 ms of a query that needs neither).
_LAZY = {"component_card": "card", "first_paragraph": "card", "central_modules": "paths", "shortest_path": "paths",
         "reading_list": "reading_list"}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


class _Package(ModuleType):
    """This package, whose function ``reading_list`` keeps its name when its module ``reading_list`` is loaded (the
    import system names a loaded submodule in its package; eager imports used to name the function last)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _LAZY and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
