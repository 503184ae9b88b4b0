"""Onboarding exploration over one repository's graph, one module per question.

* ``card`` — the component card: purpose, modules, dependencies in and out,
  governing decisions, knowledge holders, declared owners, recent activity;
* ``paths`` — the shortest dependency path between two components or modules,
  and the most central modules (PageRank);
* ``reading`` — the reading list: what a newcomer should read first;
* ``search`` — components, modules, people and decisions by name.

Everything computes on a ``RepoGraph``; the results are JSON-like dicts shared
by the CLI, the HTTP API and the agent tools. Properties written by other
ingest steps (decisions, history, derived bus factor) may be missing: a graph
ingested without them still gives a useful card.
"""

from cairn.graph.lazy_exports import lazy_exports
from cairn.queries.explore.search import search

__all__ = ["central_modules", "component_card", "first_paragraph", "reading_list", "search", "shortest_path"]

#: What is imported from its module when first asked for: ``queries.explore.common`` (``cairn adrs`` reads it) comes
#: without the card and the paths (5 ms of a query that needs neither).
__getattr__ = lazy_exports(__name__, {"component_card": ".card", "first_paragraph": ".card", "central_modules": ".paths",
                                      "shortest_path": ".paths", "reading_list": ".reading"})
