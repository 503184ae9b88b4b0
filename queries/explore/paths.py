"""How the code hangs together: the shortest dependency path between two parts, and the most central modules.

Paths run over component dependencies between two components, and over module
imports as soon as one end is a module (a component end standing for any of
its modules).

Centrality: PageRank over the module import graph, with edges pointing from the
importer to the imported module. Rank flows towards what is depended upon,
directly or through other heavily used modules, so the top modules are the
foundations a newcomer meets everywhere. Plain in-degree ranks a module
imported by many leaf scripts as high as one the whole system rests on;
PageRank does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cairn.graph.errors import InvalidQuery
from cairn.graph.model import Label, Node, RepoGraph
from cairn.queries.dependencies import component_digraph, module_digraph
from cairn.queries.explore.common import component_node, unknown_name

if TYPE_CHECKING:
    import networkx as nx


def _resolve_endpoint(graph: RepoGraph, name: str) -> tuple[str, str]:
    """('component' | 'module', key) for a name; ``component:``/``module:`` prefixes disambiguate."""
    kind = None
    if ":" in name and name.split(":", 1)[0] in ("component", "module"):
        kind, name = name.split(":", 1)
    if kind in (None, "component") and graph.node(Label.COMPONENT, name) is not None:
        return "component", name
    if kind in (None, "module") and graph.node(Label.MODULE, name) is not None:
        return "module", name
    candidates = [c.key for c in graph.of_label(Label.COMPONENT)] + [m.key for m in graph.of_label(Label.MODULE)]
    raise unknown_name(kind or "component or module", name, candidates, graph.repo)


def shortest_path(graph: RepoGraph, a: str, b: str) -> dict[str, Any]:
    """The shortest chain of dependencies by which ``a`` depends on ``b``.

    Between two components the path runs over component dependencies; as soon
    as one end is a module it runs over module imports, a component end
    standing for any of its modules.
    """
    kind_a, key_a = _resolve_endpoint(graph, a)
    kind_b, key_b = _resolve_endpoint(graph, b)
    result: dict[str, Any] = {"from": key_a, "to": key_b, "from_kind": kind_a, "to_kind": kind_b}
    if kind_a == kind_b == "component":
        g = component_digraph(graph)
        result["level"] = "component"
        path = _path_or_none(g, key_a, key_b)
        reverse = _path_or_none(g, key_b, key_a) if path is None else None
        result["edges"] = [
            {"source": s, "target": t, "count": g.edges[s, t].get("count", 0)} for s, t in zip(path or [], (path or [])[1:])
        ]
    else:
        g = module_digraph(graph)
        result["level"] = "module"
        source = _endpoint_node(g, kind_a, key_a, "from")
        target = _endpoint_node(g, kind_b, key_b, "to")
        path = _path_or_none(g, source, target)
        reverse = _path_or_none(g, _endpoint_node(g, kind_b, key_b, "from"), _endpoint_node(g, kind_a, key_a, "to")) if path is None else None
        path, reverse = _strip_virtual(path), _strip_virtual(reverse)
        result["edges"] = [
            {"source": s, "target": t, "kind": g.edges[s, t].get("kind"), "lines": list(g.edges[s, t].get("lines") or [])}
            for s, t in zip(path or [], (path or [])[1:])
        ]
    result["found"] = path is not None
    result["path"] = path or []
    result["length"] = len(path) - 1 if path else None
    result["reverse_path"] = reverse or []
    if path is None:
        msg = f"{key_a} does not depend on {key_b}, directly or indirectly"
        if reverse:
            msg += f"; the other way round, {key_b} depends on {key_a} via {' -> '.join(reverse)}"
        result["message"] = msg
    elif len(path) == 1:
        result["message"] = f"{key_a} and {key_b} are the same"
    else:
        result["message"] = f"{key_a} depends on {key_b} in {len(path) - 1} step(s): {' -> '.join(path)}"
    return result


_VIRTUAL = "\0endpoint:"


def _endpoint_node(g: nx.DiGraph, kind: str, key: str, role: str) -> str:
    if kind == "module":
        return key
    # A component end: a virtual node linked to (or from) each of the component's modules.
    virtual = f"{_VIRTUAL}{role}:{key}"
    members = [n for n, data in g.nodes(data=True) if data.get("component") == key]
    g.add_node(virtual)
    for m in members:
        if role == "from":
            g.add_edge(virtual, m)
        else:
            g.add_edge(m, virtual)
    return virtual


def _strip_virtual(path: list[str] | None) -> list[str] | None:
    if path is None:
        return None
    return [p for p in path if not p.startswith(_VIRTUAL)]


def _path_or_none(g: nx.DiGraph, a: str, b: str) -> list[str] | None:
    import networkx as nx  # ~0.3 s to import: only for the paths and ranks

    try:
        return nx.shortest_path(g, a, b)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None


def _pagerank(g: nx.DiGraph) -> dict[str, float]:
    import networkx as nx

    if g.number_of_nodes() == 0:
        return {}
    try:
        return nx.pagerank(g)
    except ModuleNotFoundError:  # networkx's fast path needs scipy; the reference implementation gives the same ranks
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        return _pagerank_python(g)


def central_modules(graph: RepoGraph, limit: int = 10, *, component: str | None = None) -> list[dict[str, Any]]:
    """The most central modules by PageRank on the import graph (see the module docstring)."""
    if limit < 1:
        raise InvalidQuery("limit must be at least 1")
    if component is not None:
        component_node(graph, component)
    # (a Go package's tests' helpers are no foundation of it)
    g = module_digraph(graph, include_tests_own=False, edge_data=False)
    ranks = _pagerank(g)
    rows = []
    for name, score in ranks.items():
        data = g.nodes[name]
        if component is not None and data.get("component") != component:
            continue
        rows.append({
            "module": name,
            "component": data.get("component"),
            "path": (graph.node(Label.MODULE, name) or Node(Label.MODULE, graph.repo, name)).get("path"),
            "score": round(score, 6),
            "imported_by": g.in_degree(name),
            "imports": g.out_degree(name),
        })
    rows.sort(key=lambda r: (-r["score"], -r["imported_by"], r["module"]))
    return rows[:limit]
