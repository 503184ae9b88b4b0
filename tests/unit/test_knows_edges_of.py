"""The KNOWS edges of the changed files, looked up by person (``api.services.ingesting._knows_edges_of``), are the
ones a scan of every edge finds: history edges, review-only ones, none of other types or files."""

import pytest

from cairn.api.services.ingesting import _knows_edges_of
from cairn.graph.model import Label, RepoGraph, Rel


def _graph() -> RepoGraph:
    graph = RepoGraph("r")
    files = [graph.add_node(Label.FILE, f"f{i}.py") for i in range(4)]
    people = [graph.add_node(Label.PERSON, f"p{i}") for i in range(3)]
    module = graph.add_node(Label.MODULE, "m")
    graph.add_edge(Rel.OWNS, people[0], files[2])
    for i, person in enumerate(people):
        for file in files[i:]:
            graph.add_edge(Rel.KNOWS, person, file, deliveries=1)
    graph.add_edge(Rel.KNOWS, people[2], files[0], deliveries=0, reviews=1)  # review-only
    graph.add_edge(Rel.PART_OF, files[1], module)  # another type into the same nodes
    return graph


def _scan(graph: RepoGraph, files: frozenset[str]) -> set:
    return {key for key in graph.edges if key[0] == Rel.KNOWS.value and key[2] in files}


def test_lookup_by_person_finds_what_a_scan_finds():
    graph = _graph()
    ids = sorted(n.id for n in graph.of_label(Label.FILE))
    for chosen in (frozenset(), frozenset(ids[:1]), frozenset(ids[1:3]), frozenset(ids)):
        assert _knows_edges_of(graph, chosen) == _scan(graph, chosen)
    assert len(_knows_edges_of(graph, frozenset(ids[:1]))) == 2


def test_more_lookups_than_edges_scans():
    graph = _graph()
    for i in range(40):
        graph.add_node(Label.PERSON, f"q{i}")
    ids = frozenset(n.id for n in graph.of_label(Label.FILE))
    assert _knows_edges_of(graph, ids) == _scan(graph, ids)


def test_the_keys_the_history_built_are_taken_and_checked_against_the_scan(monkeypatch):
    graph = _graph()
    ids = frozenset(sorted(n.id for n in graph.of_label(Label.FILE))[1:3])
    built = frozenset(_scan(graph, ids))
    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    assert _knows_edges_of(graph, ids, built) == built
    with pytest.raises(AssertionError, match="not among those the history built"):
        _knows_edges_of(graph, ids, built - {next(iter(built))})
