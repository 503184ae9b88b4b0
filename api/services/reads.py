"""Every read the interfaces serve, one function each: workspace and repository in, JSON-like data out.

Each loads the repository's graph through the workspace and asks the
analysis; no interface loads a graph itself. So a later change can answer a
read from stored rows instead of a loaded graph here, without touching the CLI,
the HTTP routers or the MCP tools.
"""

from __future__ import annotations

from typing import Any, Iterable

from cairn.api.services.workspace import Workspace
from cairn.graph.cypher_policy import CypherLimits
from cairn.graph.errors import InvalidQuery
from cairn.graph.store import RepositorySummary
from cairn.queries import briefing as briefings
from cairn.queries import dependencies, explore, ownership
from cairn.queries import knowledge_map as knowledge
from cairn.queries import people as people_queries
from cairn.queries.decisions import decision_list, rule_list
from cairn.queries.who_knows import who_knows as who_knows_paths

LEVELS = ("module", "component")
#: The knowledge map's bounds, for the interfaces to declare: levels below the node asked for, children per node.
KNOWLEDGE_MAP_MAX_DEPTH = knowledge.MAX_DEPTH
KNOWLEDGE_MAP_LIMIT = knowledge.DEFAULT_LIMIT


def repositories(ws: Workspace) -> list[RepositorySummary]:
    return ws.store.repositories()


def components(ws: Workspace, repo: str | None) -> dict[str, Any]:
    """``{"components": [...]}``: paths, size, couplings and knowledge risk of every component."""
    return dependencies.component_list(ws.graph(repo))


def component_card(ws: Workspace, repo: str | None, name: str) -> dict[str, Any]:
    return explore.component_card(ws.graph(repo), name)


def dependency_graph(ws: Workspace, repo: str | None, level: str = "module") -> dict[str, Any]:
    """Modules and their imports (``module``), or components and their dependencies (``component``)."""
    if level not in LEVELS:
        raise InvalidQuery(f"level is module or component, not {level!r}")
    graph = ws.graph(repo)
    return dependencies.module_dependencies(graph) if level == "module" else dependencies.component_dependencies(graph)


def bus_factor(ws: Workspace, repo: str | None, *, component: str | None = None, leaving: Iterable[str] = (),
               path: str | None = None) -> dict[str, Any]:
    """The truck factor report; ``path`` adds a drill-down into the files under that directory."""
    return ownership.bus_factor(ws.graph(repo), component=component, leaving=list(leaving), path=path)


def people(ws: Workspace, repo: str | None) -> dict[str, Any]:
    """Everyone resolved from the history, the identities merged into each, and likely duplicates left apart."""
    return people_queries.people(ws.graph(repo))


def knowledge_map(ws: Workspace, repo: str | None, *, component: str | None = None, path: str | None = None,
                  depth: int = 2, limit: int = KNOWLEDGE_MAP_LIMIT, leaving: Iterable[str] = ()) -> dict[str, Any]:
    """One slice of the knowledge map (the file tree with lines, truck factor, orphaned files and holders).

    The index it is measured from is read once per ingest, beside the cached graph, so drilling down asks
    only for the next slice.
    """
    graph = ws.graph(repo)
    index = ws.derived(graph, "knowledge-index", knowledge.index_knowledge)
    return knowledge.knowledge_map(graph, component=component, path=path, depth=depth, limit=limit,
                                   leaving=list(leaving), index=index)


def decisions(ws: Workspace, repo: str | None) -> dict[str, Any]:
    return decision_list(ws.graph(repo))


def rules(ws: Workspace, repo: str | None, component: str | None = None) -> dict[str, Any]:
    return rule_list(ws.graph(repo), component)


def shortest_path(ws: Workspace, repo: str | None, source: str, target: str) -> dict[str, Any]:
    return explore.shortest_path(ws.graph(repo), source, target)


def search(ws: Workspace, repo: str | None, query: str, *, limit: int = 50) -> dict[str, Any]:
    return explore.search(ws.graph(repo), query, limit=limit)


def reading_list(ws: Workspace, repo: str | None, component: str | None = None) -> dict[str, Any]:
    return explore.reading_list(ws.graph(repo), component)


def central_modules(ws: Workspace, repo: str | None, *, limit: int = 10, component: str | None = None) -> list[dict[str, Any]]:
    return explore.central_modules(ws.graph(repo), limit, component=component)


def who_knows(ws: Workspace, repo: str | None, paths: Iterable[str], *, limit: int = 5) -> dict[str, Any]:
    """Per path: the people who know it (active or gone, with their share), its CODEOWNERS, its component."""
    return who_knows_paths(ws.graph(repo), list(paths), limit=limit)


def briefing(ws: Workspace, repo: str | None, *, paths: Iterable[str] | None = None, component: str | None = None,
             limit: int = 5, full_text: bool = False) -> dict[str, Any]:
    """What to know before changing ``paths`` or ``component``: components, rules, decisions, people, agent guidance."""
    return briefings.briefing(ws.graph(repo), paths=list(paths or []), component=component, limit=limit, full_text=full_text)


def cypher(ws: Workspace, query: str, params: dict[str, Any] | None = None, *,
           limits: CypherLimits | None = None) -> list[dict[str, Any]]:
    """A client's Cypher on a Neo4j store: reads of the graph only, within ``limits`` (default ``$CAIRN_CYPHER_*``).

    The same for every interface (``POST /query``, ``cairn query``, the MCP tool): the store applies
    ``graph.cypher_policy``, checks the server's plan, and stops the answer at the limits.
    """
    return ws.store.cypher(query, params or {}, limits=limits)
