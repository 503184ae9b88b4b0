"""The port: the same behaviour on both adapters and from the port's defaults.

``any_store`` runs each test on the embedded (SQLite) store and on a real Neo4j:
round trips, ``load_part``, answers (a later save makes them unreadable), review
records, ``delete`` and ``repositories``; ``test_neo4j_answers_what_the_embedded_store_answers``
runs one sequence of calls on both side by side and compares every read.
``LoadOnly`` is an adapter that implements only the abstract methods (over an
embedded store), so the port's default ``load_part``/``save_answers``/``load_answer``
are what it runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cairn.api.bootstrap import open_store
from cairn.graph.errors import StoreError, UnknownRepository
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.store import GraphStore, RepositorySummary
from test_neo4j_store import as_stored, assert_same_graph, modules_graph, tricky_graph


class LoadOnly(GraphStore):
    """Only the abstract methods of the port, delegated to an embedded store."""

    def __init__(self, inner: SqliteStore):
        self.inner = inner
        self.location = inner.location

    def save(self, graph: RepoGraph, progress=None) -> None:
        self.inner.save(graph, progress)

    def load(self, repo: str) -> RepoGraph:
        return self.inner.load(repo)

    def repositories(self) -> list[RepositorySummary]:
        return self.inner.repositories()

    def delete(self, repo: str) -> None:
        self.inner.delete(repo)

    def save_reviews(self, repo: str, records: list[dict[str, Any]]) -> None:
        self.inner.save_reviews(repo, records)

    def load_reviews(self, repo: str) -> list[dict[str, Any]]:
        return self.inner.load_reviews(repo)


@pytest.fixture(params=["sqlite", "port-defaults"])
def embedded_variants(request, tmp_path) -> GraphStore:
    store = SqliteStore(tmp_path / "store")
    return store if request.param == "sqlite" else LoadOnly(store)


def expected_part(graph: RepoGraph, labels: set[Label], rels: set[Rel]) -> tuple[dict, set]:
    return ({nid: as_stored(n.props) for nid, n in graph.nodes.items() if n.label in labels},
            {k for k, e in graph.edges.items() if e.type in rels})


def check_load_part(store: GraphStore) -> None:
    graph = tricky_graph("part")
    store.save(graph)
    for labels, rels in (({Label.COMPONENT}, {Rel.PART_OF, Rel.DEPENDS_ON}),
                         ({Label.PERSON, Label.FILE, Label.REPOSITORY}, {Rel.KNOWS}),
                         (set(), {Rel.IMPORTS}),
                         ({Label.DECISION}, set())):
        part = store.load_part("part", labels=labels, rels=rels)
        nodes, edges = expected_part(graph, labels, rels)
        assert {nid: n.props for nid, n in part.nodes.items()} == nodes
        assert set(part.edges) == edges
        for key in edges:
            assert part.edges[key].props == as_stored(graph.edges[key].props)
    # Names as strings work as the enums do.
    assert set(store.load_part("part", labels=["Module"], rels=["IMPORTS"]).counts()) == {"Module", "IMPORTS"}
    with pytest.raises(UnknownRepository):
        store.load_part("nope", labels=[Label.MODULE])


def check_answers(store: GraphStore, second: GraphStore) -> None:
    """``second`` is another store object on the same store."""
    store.save(tricky_graph("ans"))
    store.save_answers("ans", {"truck_factor": {"repository": 2, "components": {"api": 1}}, "empty": [], "names": ["Zoë"]})
    assert second.load_answer("ans", "truck_factor") == {"repository": 2, "components": {"api": 1}}
    assert second.load_answer("ans", "empty") == [] and second.load_answer("ans", "names") == ["Zoë"]
    assert second.load_answer("ans", "missing") is None and second.load_answer("nope", "truck_factor") is None
    store.save_answers("ans", {"names": ["Ada"]})
    assert second.load_answer("ans", "names") == ["Ada"] and second.load_answer("ans", "empty") == []
    store.save(tricky_graph("ans"))  # a new version: the answers of the previous one are gone
    assert second.load_answer("ans", "truck_factor") is None
    second.load("ans")
    store.save(tricky_graph("ans"))
    second.save_answers("ans", {"truck_factor": 5})  # about the version it loaded, which was replaced
    assert store.load_answer("ans", "truck_factor") is None
    store.save_answers("ans", {"truck_factor": 3})
    assert second.load_answer("ans", "truck_factor") == 3
    store.delete("ans")
    assert second.load_answer("ans", "truck_factor") is None
    with pytest.raises(UnknownRepository):
        store.save_answers("ans", {"truck_factor": 1})
    with pytest.raises(StoreError):
        store.save_answers("ans", {"bad": object()})


def test_load_part_on_the_embedded_store_and_the_port_defaults(embedded_variants):
    check_load_part(embedded_variants)


def test_answers_on_the_embedded_store(tmp_path):
    check_answers(SqliteStore(tmp_path / "s"), SqliteStore(tmp_path / "s"))


def test_the_port_default_keeps_no_answers_so_callers_compute_them(tmp_path):
    store = LoadOnly(SqliteStore(tmp_path / "s"))
    store.save(tricky_graph("ans"))
    store.save_answers("ans", {"truck_factor": 2})
    assert store.load_answer("ans", "truck_factor") is None


def test_load_part_and_answers_agree_on_both_stores(any_store):
    check_load_part(any_store)
    with open_store(any_store.location) as second:
        check_answers(any_store, second)


# -- round trips, review records, delete and repositories on both adapters ----------------------

def check_round_trip(store: GraphStore) -> None:
    graph = tricky_graph("trip")
    store.save(graph)
    assert_same_graph(store.load("trip"), graph)
    smaller = tricky_graph("trip")  # a save replaces the whole graph: what is gone is gone
    smaller.remove_node(smaller.node(Label.MODULE, "shop.api.views").id)
    smaller.node(Label.COMPONENT, "core").props.update(truck_factor=3, ratio=None)
    store.save(smaller)
    assert_same_graph(store.load("trip"), smaller)
    store.save(RepoGraph("empty"))
    assert len(store.load("empty")) == 0
    with pytest.raises(UnknownRepository):
        store.load("nope")


def check_reviews(store: GraphStore) -> None:
    records = [{"pr": 7, "by": "Zoë", "at": dt.date(2025, 1, 2), "labels": ("a", "b"), "ids": {3, 1}},
               {"pr": 8, "nested": {"x": [1, None], "empty": {}}}]
    assert store.load_reviews("rev") == []
    store.save_reviews("rev", records)  # kept even before the repository has a graph
    assert store.load_reviews("rev") == as_stored(records)
    store.save(tricky_graph("rev"))  # saves of the graph leave them alone
    assert store.load_reviews("rev") == as_stored(records)
    store.save_reviews("rev", records[1:])  # a save of records replaces them
    assert store.load_reviews("rev") == as_stored(records[1:])
    with pytest.raises(StoreError, match="review records of rev"):
        store.save_reviews("rev", [{"bad": object()}])
    assert store.load_reviews("rev") == as_stored(records[1:])
    store.delete("rev")
    assert store.load_reviews("rev") == []


def check_delete_and_repositories(store: GraphStore) -> None:
    assert store.repositories() == []
    shop, mono = tricky_graph("shop"), modules_graph("mono", 40)
    store.save(shop)
    store.save(mono)
    assert store.repositories() == [RepositorySummary("mono", as_stored(mono.repository.props)),
                                    RepositorySummary("shop", as_stored(shop.repository.props))]
    store.save_answers("shop", {"truck_factor": 1})
    store.save_reviews("shop", [{"pr": 1}])
    store.delete("shop")
    assert [r.repo for r in store.repositories()] == ["mono"]
    assert store.load_answer("shop", "truck_factor") is None and store.load_reviews("shop") == []
    with pytest.raises(UnknownRepository):
        store.load("shop")
    with pytest.raises(UnknownRepository):
        store.delete("shop")
    assert_same_graph(store.load("mono"), mono)  # the other repository is untouched
    # Review records alone are not a repository: delete says so and leaves them.
    store.save_reviews("reviews-only", [{"pr": 2}])
    with pytest.raises(UnknownRepository):
        store.delete("reviews-only")
    assert store.load_reviews("reviews-only") == [{"pr": 2}]
    assert [r.repo for r in store.repositories()] == ["mono"]


def test_round_trip_on_both_stores(any_store):
    check_round_trip(any_store)


def test_review_records_on_both_stores(any_store):
    check_reviews(any_store)


def test_delete_and_repositories_on_both_stores(any_store):
    check_delete_and_repositories(any_store)


# -- one sequence of calls on both adapters, every read compared ------------------------------

def everything_readable(store: GraphStore, repos: list[str], answers: list[str]) -> dict[str, Any]:
    """What ``store`` answers to every read of the port about ``repos`` (errors by their class name)."""
    def attempt(read):
        try:
            return read()
        except StoreError as exc:
            return type(exc).__name__

    def graph_of(graph: RepoGraph) -> tuple[dict, dict]:
        return ({nid: (n.label, n.key, n.props) for nid, n in graph.nodes.items()},
                {key: (e.type, e.source, e.target, e.props) for key, e in graph.edges.items()})

    seen: dict[str, Any] = {"repositories": store.repositories()}
    for repo in repos:
        seen[repo] = attempt(lambda: graph_of(store.load(repo)))
        for label in Label:
            seen[f"{repo} {label.value}"] = attempt(lambda: graph_of(store.load_part(repo, labels=[label])))
        for rel in Rel:
            seen[f"{repo} {rel.value}"] = attempt(lambda: graph_of(store.load_part(repo, rels=[rel])))
        seen[f"{repo} several"] = attempt(lambda: graph_of(store.load_part(
            repo, labels=[Label.MODULE, Label.COMPONENT], rels=[Rel.IMPORTS, Rel.PART_OF])))
        seen[f"{repo} answers"] = {name: store.load_answer(repo, name) for name in answers}
        seen[f"{repo} reviews"] = store.load_reviews(repo)
    return seen


@pytest.mark.neo4j
def test_neo4j_answers_what_the_embedded_store_answers(neo4j_store, tmp_path):
    embedded = SqliteStore(tmp_path / "store")
    repos, answers = ["shop", "mono", "gone"], ["truck_factor", "components", "missing"]
    shop_v2 = tricky_graph("shop")
    shop_v2.remove_node(shop_v2.node(Label.PERSON, "noreply@anthropic.com").id)
    shop_v2.node(Label.COMPONENT, "api").props["holders"] = [{"person": "ada", "share": 1.0}]
    steps = [
        lambda s: s.save(tricky_graph("shop")),
        lambda s: s.save(modules_graph("mono", 60)),
        lambda s: s.save_answers("shop", {"truck_factor": {"repository": 2}, "components": ["api", "core"]}),
        lambda s: s.save_reviews("mono", [{"pr": 3, "at": dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc)}]),
        lambda s: s.save(shop_v2),  # the answers of the previous version become unreadable
        lambda s: s.save_answers("shop", {"components": ["api"]}),
        lambda s: s.save(RepoGraph("gone")),
        lambda s: s.delete("gone"),
        lambda s: s.delete("mono"),
    ]
    for number, step in enumerate(steps, 1):
        step(embedded)
        step(neo4j_store)
        assert everything_readable(neo4j_store, repos, answers) == everything_readable(embedded, repos, answers), number
