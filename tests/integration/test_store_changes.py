"""``save_changes`` (a new version given as what differs, stored as ``save`` would store the whole of it) and
``load_around`` (a few nodes and what is around them).

Run on the embedded store (native), on the port's defaults (``LoadOnly``: from
``load``) and, with ``-m neo4j``, on a real Neo4j.
"""

from __future__ import annotations

import copy
import random

import pytest

from cairn.graph.model import Edge, Label, Rel, RepoGraph
from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.store import GraphChanges, GraphStore
from test_neo4j_store import assert_same_graph, tricky_graph
from test_store_port import LoadOnly


def modules_graph(repo: str = "mods", n: int = 40, seed: int = 1) -> RepoGraph:
    rnd = random.Random(seed)
    g = RepoGraph(repo)
    g.add_node(Label.REPOSITORY, repo, head="a" * 40)
    for c in ("api", "core"):
        g.add_node(Label.COMPONENT, c)
    for i in range(n):
        comp = "api" if i % 2 else "core"
        m = g.add_node(Label.MODULE, f"m{i}", component=comp)
        g.add_edge(Rel.PART_OF, m, g.node(Label.COMPONENT, comp))
    for i in range(n):
        for j in rnd.sample(range(n), 4):
            if i != j:
                g.add_edge(Rel.IMPORTS, g.node(Label.MODULE, f"m{i}"), g.node(Label.MODULE, f"m{j}"), kind="runtime", lines=[j])
    g.add_edge(Rel.DEPENDS_ON, g.node(Label.COMPONENT, "api"), g.node(Label.COMPONENT, "core"), count=3)
    return g


def next_version(old: RepoGraph) -> tuple[RepoGraph, set, set]:
    """A new version of ``old``: a module gone, one added, imports changed, added and removed; and the changed and
    deleted IMPORTS keys."""
    new = copy.deepcopy(old)
    gone = new.node(Label.MODULE, "m3").id
    new.remove_node(gone)
    added = new.add_node(Label.MODULE, "m99", component="api")
    new.add_edge(Rel.PART_OF, added, new.node(Label.COMPONENT, "api"))
    m1, m2, m5 = (new.node(Label.MODULE, f"m{i}") for i in (1, 2, 5))
    changed = {new.add_edge(Rel.IMPORTS, added, m1, kind="runtime", lines=[1]).key,
               new.add_edge(Rel.IMPORTS, m2, added, kind="type_only", lines=[7]).key}
    some = next(k for k in new.edges if k[0] == "IMPORTS" and k[1] == m5.id)
    new.edges[some].props["lines"] = [42]
    changed.add(some)
    deleted = {k for k in list(new.edges) if k[0] == "IMPORTS" and k[1] == m1.id}
    for k in deleted:
        del new.edges[k]
    new.node(Label.COMPONENT, "core").props["truck_factor"] = 2
    new.edges[("DEPENDS_ON", new.node(Label.COMPONENT, "api").id, new.node(Label.COMPONENT, "core").id)].props["count"] = 4
    return new, changed, deleted


def as_delivered(new: RepoGraph, changed: set, stale: RepoGraph) -> RepoGraph:
    """What an incremental caller hands over: the new nodes and unpatched edges, the changed IMPORTS, and for the
    other imports whatever it holds (here: the stale ones, which must not be looked at)."""
    given = RepoGraph(new.repo)
    given.nodes = dict(new.nodes)
    given.edges = {k: e for k, e in new.edges.items() if k[0] != "IMPORTS" or k in changed}
    for i, (k, e) in enumerate(stale.edges.items()):  # half of the others stale, half left out
        if k[0] == "IMPORTS" and k not in given.edges and e.source in given.nodes and e.target in given.nodes and i % 2:
            given.edges[k] = Edge(e.type, e.source, e.target, {"stale": True})
    return given


def check_save_changes(store: GraphStore) -> None:
    old = modules_graph()
    store.save(old)
    new, changed, deleted = next_version(old)
    store.save_changes(GraphChanges(as_delivered(new, changed, old), frozenset({Rel.IMPORTS}),
                                    frozenset(changed), frozenset(deleted)))
    assert_same_graph(store.load("mods"), new)
    # no changes at all: nothing but the version moves
    store.save_changes(GraphChanges(new, frozenset({Rel.IMPORTS})))
    assert_same_graph(store.load("mods"), new)
    # a whole save through the same door
    store.save_changes(GraphChanges(tricky_graph("mods")))
    assert_same_graph(store.load("mods"), tricky_graph("mods"))


@pytest.fixture(params=["sqlite", "port-defaults"])
def embedded_variants(request, tmp_path) -> GraphStore:
    store = SqliteStore(tmp_path / "store")
    return store if request.param == "sqlite" else LoadOnly(store)


def test_save_changes_on_the_embedded_store_and_the_port_default(embedded_variants):
    check_save_changes(embedded_variants)


def test_changes_name_only_edges_of_patched_types_that_the_graph_holds():
    g = modules_graph()
    key = next(k for k in g.edges if k[0] == "IMPORTS")
    with pytest.raises(ValueError):
        GraphChanges(g, frozenset({Rel.IMPORTS}), changed=frozenset({("IMPORTS", "Module|mods|x", "Module|mods|y")}))
    with pytest.raises(ValueError):
        GraphChanges(g, frozenset({Rel.KNOWS}), changed=frozenset({key}))


def test_a_patched_save_writes_only_the_changed_rows(tmp_path):
    store = SqliteStore(tmp_path / "store")
    old = modules_graph(n=200)
    store.save(old)
    new, changed, deleted = next_version(old)
    conn = store._connection(create=False)
    before = conn.total_changes
    store.save_changes(GraphChanges(new, frozenset({Rel.IMPORTS}), frozenset(changed), frozenset(deleted)))
    written = conn.total_changes - before
    # the changed and deleted imports, the module gone (and its edges), the module added and its PART_OF, two changed
    # nodes or edges, the repository row and its answers: a few dozen rows, not the ~1,000 of the graph
    assert written < 60, written
    assert_same_graph(store.load("mods"), new)


@pytest.mark.neo4j
def test_save_changes_on_neo4j(any_store):
    check_save_changes(any_store)


def check_load_around(store: GraphStore) -> None:
    g = modules_graph()
    store.save(g)
    m1, m2 = g.node(Label.MODULE, "m1").id, g.node(Label.MODULE, "m2").id
    part = store.load_around("mods", [m1, m2, "Module|mods|nope"], [Rel.IMPORTS])
    expected_edges = {k for k, e in g.edges.items() if e.type is Rel.IMPORTS and {e.source, e.target} & {m1, m2}}
    assert set(part.edges) == expected_edges and expected_edges
    assert set(part.nodes) == {m1, m2} | {n for k in expected_edges for n in k[1:]}
    assert all(part.nodes[nid] == g.nodes[nid] and part.edges[k] == g.edges[k] for nid in part.nodes for k in part.edges)
    assert set(store.load_around("mods", [m1]).nodes) == {m1}  # no types: the nodes alone
    comps = store.load_around("mods", [g.node(Label.COMPONENT, "api").id], [Rel.PART_OF, Rel.DEPENDS_ON])
    assert {k[0] for k in comps.edges} == {"PART_OF", "DEPENDS_ON"} and len(comps.nodes) == 20 + 2
    many = [n for n in g.nodes] * 30  # more ids than one statement takes
    assert set(store.load_around("mods", many, [Rel.PART_OF]).nodes) == set(g.nodes)


def test_load_around_on_the_embedded_store_and_the_port_default(embedded_variants):
    check_load_around(embedded_variants)


@pytest.mark.neo4j
def test_load_around_on_neo4j(any_store):
    check_load_around(any_store)
