"""After a commit the ingest holds the KNOWS edges unmade (``graph.lazy_knows``) through the save and the answers:
what is stored and every edge read is what a cold ingest builds; ``CAIRN_VERIFY_SKIPS`` (on in the tests) checks
each edge made alone against making them all, so a wrong one fails."""

from __future__ import annotations

from array import array
from itertools import groupby

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.graph.lazy_knows import PendingKnows
from cairn.graph.model import Edge, Rel, RepoGraph, Label
from cairn.ingest.pipeline import ingest_repository
from fixtures.gitrepo import GitRepo
from integration.test_incremental_parity import assert_same_rows

ADA, BOB, CAT = ("Ada Lovelace", "ada@example.com"), ("Bob Builder", "bob@example.com"), ("Cat Stevens", "cat@example.com")
KNOWS = Rel.KNOWS.value


def shop(tmp_path):
    repo = GitRepo(tmp_path / "r")
    # ten components of two files: the one a commit touches holds a few of the KNOWS edges
    repo.commit({"CODEOWNERS": "* @ada\n", **{f"src/p{i % 10}/m{i}.py": f"M = {i}\n" for i in range(20)}}, author=ADA)
    repo.commit({"src/p0/m0.py": "import p1.m1\n", "src/p1/m1.py": "M = 11\n"}, author=BOB)
    repo.commit({"src/p0/m2.py": "M = 12\n"}, author=CAT)
    return repo


def runs(edges) -> list[str]:
    return [type_ for type_, _ in groupby(key[0] for key in edges)]


def unmade(graph) -> bool:
    """Whether ``graph`` holds KNOWS edges none of which is made (its map of other edges has none)."""
    return graph.counts().get(KNOWS, 0) > 0 and not any(key[0] == KNOWS for key in graph.edges_except((KNOWS,)))


def test_after_a_commit_the_save_and_the_answers_leave_the_knows_edges_unmade(tmp_path):
    repo = shop(tmp_path)
    warm = tmp_path / "warm"
    first = ingest_into_store(open_store(str(warm)), repo.root)
    assert not unmade(first.graph)  # a cold ingest builds them at once
    repo.commit({"src/p3/m3.py": "M = 13\n"}, author=BOB)
    result = ingest_into_store(open_store(str(warm)), repo.root)
    assert result.knows_delta is not None and unmade(result.graph)
    cold = tmp_path / "cold"
    ingest_into_store(open_store(str(cold)), repo.root)
    assert_same_rows(warm, cold, "r")


def test_the_knows_edges_made_when_read_are_a_cold_ingests_in_their_place(tmp_path):
    repo = shop(tmp_path)
    cache = tmp_path / "cache"
    ingest_repository(repo.root, cache_dir=cache)
    repo.commit({"src/p3/m3.py": "M = 13\n"}, author=BOB)
    graph = ingest_repository(repo.root, cache_dir=cache).graph
    cold = ingest_repository(repo.root, cache_dir=tmp_path / "cold").graph
    assert unmade(graph) and len(graph) == len(cold) and graph.counts() == cold.counts()
    one = {"File|r|src/p0/m0.py"}
    assert graph.edges_into(Rel.KNOWS, one) == cold.edges_into(Rel.KNOWS, one) != []
    key = next(k for k in cold.edges if k[0] == KNOWS)
    assert graph.edge(key) == cold.edges[key] and graph.edge((KNOWS, "Person|r|nobody", key[2])) is None
    assert unmade(graph)  # (made alone)
    made = graph.edges  # all made, in their place: the types in the order a cold ingest adds them
    assert not unmade(graph) and made == cold.edges and runs(made) == runs(cold.edges)


def pending(graph: RepoGraph, people: list[str], files: list[str], per_file: list[int]) -> PendingKnows:
    entries = sum(per_file)
    person = array("i", [i % len(people) for i in range(entries)])
    values = [(True, 1, 0, 4.0, 0), (False, 0, 2, None, 1)]
    return PendingKnows(len(graph.edges), [f"Person|r|{p}" for p in people], person, [f"File|r|{f}" for f in files],
                        array("i", per_file), values, array("i", [i % 2 for i in range(entries)]),
                        [f"2024-01-0{i % 9 + 1}" for i in range(entries)])


def test_deferred_edges_are_made_in_their_place_with_their_author_flags(monkeypatch):
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")
    graph = RepoGraph("r")
    for p in ("ada", "bob"):
        graph.add_node(Label.PERSON, p)
    for f in ("a.py", "b.py", "c.py"):
        graph.add_node(Label.FILE, f)
    graph.add_edge(Rel.OWNS, "Person|r|ada", "File|r|a.py")
    held = pending(graph, ["ada", "bob"], ["a.py", "b.py", "c.py"], [2, 0, 1])
    graph.defer_edges(held)
    held.set_authors([True, False, True])
    graph.add_edge(Rel.OWNS, "Person|r|bob", "File|r|c.py")  # added after: goes after them
    assert len(graph) == 5 + 2 + 3 and graph.counts() == {"Person": 2, "File": 3, "OWNS": 2, "KNOWS": 3}
    assert [e.target for e in graph.of_type(Rel.OWNS)] == ["File|r|a.py", "File|r|c.py"]
    alone = graph.edge((KNOWS, "Person|r|bob", "File|r|a.py"))
    assert alone.current_props() == {"first_authorship": False, "deliveries": 0, "acceptances": 2, "doa": None,
                                     "reviews": 1, "last_touch": "2024-01-02", "author": False}
    assert graph.has_edge((KNOWS, "Person|r|bob", "File|r|a.py")) and graph.has_edge(("OWNS", "Person|r|bob", "File|r|c.py"))
    assert not graph.has_edge((KNOWS, "Person|r|bob", "File|r|b.py"))
    assert unmade(graph)
    # (a third of the edges: made at once, in their place)
    assert [e.target for e in graph.edges_into(Rel.KNOWS, {"File|r|c.py"})] == ["File|r|c.py"] and not unmade(graph)
    assert [key[0] for key in graph.edges] == ["OWNS", "KNOWS", "KNOWS", "KNOWS", "OWNS"]
    assert graph.edges[(KNOWS, "Person|r|bob", "File|r|a.py")] == alone
    assert [e.get("author") for e in graph.of_type(Rel.KNOWS)] == [True, False, True]


def test_an_edge_made_alone_otherwise_than_all_at_once_fails_the_check(monkeypatch):
    graph = RepoGraph("r")
    people = [f"p{i}" for i in range(12)]
    for p in people:
        graph.add_node(Label.PERSON, p)
    graph.add_node(Label.FILE, "a.py")
    held = pending(graph, people, ["a.py"], [12])
    graph.defer_edges(held)
    assert graph.edge((KNOWS, "Person|r|p1", "File|r|a.py")).get("acceptances") == 2
    monkeypatch.setattr(held, "_entry", lambda at, source, target: Edge(Rel.KNOWS, source, target, {}))
    with pytest.raises(AssertionError, match="made alone"):
        graph.edge((KNOWS, "Person|r|p1", "File|r|a.py"))
    with pytest.raises(AssertionError, match="made alone"):
        graph.edges_into(Rel.KNOWS, {"File|r|a.py"})
    assert graph.has_edge((KNOWS, "Person|r|p1", "File|r|a.py"))
    monkeypatch.setattr(held, "_entry_of", lambda key: None)
    with pytest.raises(AssertionError, match="looked up alone"):
        graph.has_edge((KNOWS, "Person|r|p1", "File|r|a.py"))
