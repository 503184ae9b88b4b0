"""The port's partial reads and derived answers: the same behaviour on both adapters and from the defaults.

``any_store`` runs each test on the embedded (SQLite) store and on a real Neo4j;
``LoadOnly`` is an adapter that implements only the abstract methods (over an
embedded store), so the port's default ``load_part``/``save_answers``/``load_answer``
are what it runs.
"""

from __future__ import annotations

from typing import Any

import pytest

from cairn.api.bootstrap import open_store
from cairn.graph.errors import StoreError, UnknownRepository
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.store import GraphStore, RepositorySummary
from test_neo4j_store import as_stored, tricky_graph


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


@pytest.mark.neo4j
def test_load_part_and_answers_agree_on_both_stores(any_store):
    check_load_part(any_store)
    with open_store(any_store.location) as second:
        check_answers(any_store, second)
