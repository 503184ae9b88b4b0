"""The dependency graph as data: modules and import edges, components and their couplings.

Module ids are the language's natural names (Python dotted module, Go package
import path, Java FQN, JS/TS repository-relative path); external targets are
``external:<top-level name>``, listed in ``externals`` with ``stdlib`` true for
the language's standard library (set at ingest), so outputs can group the
standard library apart from third-party packages.

A module of more than one file lists them (``files``; ``path`` is the first):
a Go package, or Kotlin Multiplatform's expect/actual halves of one fully
qualified name (ktor's ``HttpClient.kt`` in ``common/`` and ``posix/``: one
declaration, so one module, whose second file was in no row before).
"""

from __future__ import annotations

from collections import Counter
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

from cairn.graph.model import Label, Node, Rel, RepoGraph
from cairn.graph.testcode import import_files, mixed_modules, test_only

EXTERNAL_PREFIX = "external:"


def module_id(node: Node) -> str:
    return EXTERNAL_PREFIX + node.key if node.label is Label.EXTERNAL else node.key


def module_dependencies(graph: RepoGraph) -> dict[str, Any]:
    modules = sorted(graph.of_label(Label.MODULE), key=lambda n: n.key)
    edges = []
    for e in graph.of_type(Rel.IMPORTS):
        src, tgt = graph.nodes[e.source], graph.nodes[e.target]
        edges.append({
            "source": module_id(src), "target": module_id(tgt), "kind": e.get("kind"),
            "language": src.get("language"), "lines": list(e.get("lines") or []),
        })
    edges.sort(key=lambda e: (e["source"], e["target"]))
    externals = sorted(graph.of_label(Label.EXTERNAL), key=lambda n: n.key)
    return {
        "modules": [_module_row(m) for m in modules],
        "externals": [{"id": module_id(x), "name": x.key, "ecosystem": x.get("ecosystem"), "stdlib": bool(x.get("stdlib"))}
                      for x in externals],
        "edges": edges,
    }


def _module_row(module: Node) -> dict[str, Any]:
    row = {"id": module.key, "path": module.get("path"), "language": module.get("language"),
           "component": module.get("component")}
    files = module.get("files") or ()
    if len(files) > 1:
        row["files"] = list(files)
    return row


def component_dependencies(graph: RepoGraph) -> dict[str, Any]:
    comps = sorted(graph.of_label(Label.COMPONENT), key=lambda n: n.key)
    edges = []
    nodes = graph.nodes
    for e in graph.of_type(Rel.DEPENDS_ON):  # one per coupled pair of components: 15k at 10k modules
        props = e.current_props()  # (not kept: see graph.model.SlottedEdge)
        kinds = props.get("kinds") or {}
        kind = ("runtime" if kinds.get("runtime") else "dynamic" if kinds.get("dynamic")
                else "type_only" if kinds.get("type_only") else "runtime")
        edges.append({"source": nodes[e.source].key, "target": nodes[e.target].key, "kind": kind,
                      "count": props.get("count", 0), "kinds": kinds})
    edges.sort(key=itemgetter("source", "target"))
    return {"components": [c.key for c in comps], "edges": edges}


#: The properties of its Component node that ``component_list`` reads (``answer_base`` digests them to know the list
#: stands).
LISTED_PROPERTIES = ("paths", "system", "domain", "description", "inferred", "files", "truck_factor",
                     "human_truck_factor", "at_risk", "parent", "package")


def component_list(graph: RepoGraph) -> dict[str, Any]:
    """``{"components": [...]}``: every component with its paths, size, couplings and knowledge risk, the component it
    is nested in (``parent``) and the name it goes by as a package (``package``: ``ingest.package_names``)."""
    module_counts = Counter(m.get("component") for m in graph.of_label(Label.MODULE))
    out: dict[str, dict[str, Any]] = {}
    for c in sorted(graph.of_label(Label.COMPONENT), key=lambda n: n.key):
        out[c.key] = {
            "name": c.key, "paths": list(c.get("paths") or []), "system": c.get("system"), "domain": c.get("domain"),
            "description": c.get("description"), "inferred": bool(c.get("inferred")), "modules": module_counts.get(c.key, 0),
            "files": int(c.get("files") or 0), "depends_on": [], "used_by": [], "truck_factor": c.get("truck_factor"),
            "human_truck_factor": c.get("human_truck_factor"), "at_risk": c.get("at_risk"),
            "parent": c.get("parent"), "package": c.get("package"),
        }
    for e in graph.of_type(Rel.DEPENDS_ON):
        a, b = graph.nodes[e.source].key, graph.nodes[e.target].key
        out[a]["depends_on"].append(b)
        out[b]["used_by"].append(a)
    for c in out.values():
        c["depends_on"].sort()
        c["used_by"].sort()
    return {"components": list(out.values())}


def module_digraph(graph: RepoGraph, *, include_type_only: bool = True, include_external: bool = False,
                   include_tests_own: bool = True, edge_data: bool = True) -> nx.DiGraph:
    """Module-level import graph (nodes are module ids) for path and centrality queries; without
    ``include_tests_own``, a module's tests' own imports left out (``graph.testcode.test_only``); without
    ``edge_data``, an edge carries no ``kind`` and ``lines`` (PageRank reads none: at 10k modules, decoding every
    import's properties and networkx copying them took two thirds of a reading list's 1.9 s)."""
    import networkx as nx  # ~0.3 s to import: only for the analyses that walk the graph

    g = nx.DiGraph()
    for m in graph.of_label(Label.MODULE):
        g.add_node(m.key, component=m.get("component"))
    mixed = set() if include_tests_own else mixed_modules(graph.nodes)
    for e in graph.of_type(Rel.IMPORTS):
        if not include_type_only and e.get("kind") == "type_only":
            continue
        if e.source in mixed and test_only(import_files(e.props)):
            continue
        tgt = graph.nodes[e.target]
        if tgt.label is Label.EXTERNAL and not include_external:
            continue
        if edge_data:
            g.add_edge(module_id(graph.nodes[e.source]), module_id(tgt), kind=e.get("kind"), lines=e.get("lines"))
        else:
            g.add_edge(module_id(graph.nodes[e.source]), module_id(tgt))
    return g


def component_digraph(graph: RepoGraph) -> nx.DiGraph:
    import networkx as nx

    g = nx.DiGraph()
    for c in graph.of_label(Label.COMPONENT):
        g.add_node(c.key)
    for e in graph.of_type(Rel.DEPENDS_ON):
        g.add_edge(graph.nodes[e.source].key, graph.nodes[e.target].key, count=e.get("count", 0))
    return g
