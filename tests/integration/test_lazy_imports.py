"""After a commit the ingest holds the IMPORTS edges unmade (``graph.lazy_imports``) through the save and the answers,
beside the KNOWS edges (``graph.lazy_knows``): what is stored and every edge read is what a cold ingest builds, in its
place; ``CAIRN_VERIFY_SKIPS`` (on in the tests) checks each edge made alone against making them all, so a wrong one
fails."""

from __future__ import annotations

from array import array
from itertools import groupby

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.graph.lazy_imports import PendingImports
from cairn.graph.lazy_knows import PendingKnows
from cairn.graph.model import ImportsEdge, Label, Rel, RepoGraph
from cairn.ingest.pipeline import ingest_repository
from fixtures.gitrepo import GitRepo
from integration.test_incremental_parity import assert_same_rows

ADA, BOB = ("Ada Lovelace", "ada@example.com"), ("Bob Builder", "bob@example.com")
IMPORTS, KNOWS = Rel.IMPORTS.value, Rel.KNOWS.value


def shop(tmp_path):
    repo = GitRepo(tmp_path / "r")
    # ten packages; a module importing another twice (its edges grouped) and an external package
    files = {f"src/p{i % 10}/m{i}.py": f"import p{(i + 1) % 10}.m{(i + 1) % 20}\nimport os\n" for i in range(20)}
    files["src/p0/m0.py"] = "import p1.m1\nimport requests\n\ndef f():\n    import p1.m1\n"
    # (carol owns a package without knowing any of it: the bus factor's owners without knowledge name her)
    repo.commit({"CODEOWNERS": "* @ada\nsrc/p7/ @carol\n", **files}, author=ADA)
    repo.commit({"src/p2/m2.py": "import p3.m3\nimport p4.m4\n"}, author=BOB)
    return repo


def runs(edges) -> list[str]:
    return [type_ for type_, _ in groupby(key[0] for key in edges)]


def unmade(graph, type_: str = IMPORTS) -> bool:
    """Whether ``graph`` holds edges of ``type_`` none of which is made (its map of the edges made has none; read
    without making any)."""
    return graph.counts().get(type_, 0) > 0 and not any(key[0] == type_ for key in graph.edges_of(()))


def test_after_a_commit_the_save_and_the_answers_leave_the_imports_edges_unmade(tmp_path):
    repo = shop(tmp_path)
    warm = tmp_path / "warm"
    first = ingest_into_store(open_store(str(warm)), repo.root)
    assert first.import_changes is None and not unmade(first.graph)  # a cold ingest builds them at once
    # (code without new imports, as the benchmark's commit: a commit that changes some has the boundary check judged
    # again, which reads every IMPORTS edge)
    repo.commit({"src/p3/m3.py": "import p4.m4\nimport os\n\ndef g():\n    return 3\n"}, author=BOB)
    result = ingest_into_store(open_store(str(warm)), repo.root)
    assert result.import_changes is not None and result.import_changes[1:] == (set(), set())
    assert unmade(result.graph) and unmade(result.graph, KNOWS)
    cold = tmp_path / "cold"
    ingest_into_store(open_store(str(cold)), repo.root)
    assert_same_rows(warm, cold, "r")


def test_the_imports_edges_made_when_read_are_a_cold_ingests_in_their_place(tmp_path):
    repo = shop(tmp_path)
    cache = tmp_path / "cache"
    first = ingest_repository(repo.root, cache_dir=cache)
    repo.commit({"src/p3/m3.py": "import p5.m5\n"}, author=BOB)
    graph = ingest_repository(repo.root, cache_dir=cache, base_code=first.graph.repository.get("code_fingerprint")).graph
    cold = ingest_repository(repo.root, cache_dir=tmp_path / "cold").graph
    assert unmade(graph) and len(graph) == len(cold) and graph.counts() == cold.counts()
    grouped = (IMPORTS, "Module|r|p0.m0", "Module|r|p1.m1")  # imported twice: one edge of both lines
    assert graph.edge(grouped) == cold.edges[grouped] and graph.edge(grouped).get("lines") == [1, 5]
    plain = (IMPORTS, "Module|r|p3.m3", "Module|r|p5.m5")
    assert type(graph.edge(plain)) is ImportsEdge and graph.edge(plain) == cold.edges[plain]
    assert graph.has_edge(plain) and not graph.has_edge((IMPORTS, "Module|r|p3.m3", "Module|r|p4.m4"))
    assert graph.edge((IMPORTS, "Module|r|nothing", "Module|r|p4.m4")) is None
    packages = {"ExternalPackage|r|os", "ExternalPackage|r|requests"}
    assert graph.edges_into(Rel.IMPORTS, packages) == cold.edges_into(Rel.IMPORTS, packages) != []
    modules = [n.id for n in cold.of_label(Label.MODULE)]
    assert graph.sources_into(Rel.IMPORTS, packages, modules) == cold.sources_into(Rel.IMPORTS, packages, modules) != set()
    people = [n.id for n in cold.of_label(Label.PERSON)]
    for package in ("p3", "p7"):  # the one the commit touched, and carol's
        files = {n.id for n in cold.of_label(Label.FILE) if n.key.startswith(f"src/{package}/")}
        knowing = graph.sources_into(Rel.KNOWS, files, people)
        assert knowing == cold.sources_into(Rel.KNOWS, files, people) and knowing and len(knowing) < len(people)
    assert unmade(graph) and unmade(graph, KNOWS)  # (made alone)
    assert len(graph.of_type(Rel.KNOWS)) == len(cold.of_type(Rel.KNOWS)) and unmade(graph)  # (the other run made alone)
    made = graph.edges  # all made, in their place: the types in the order a cold ingest adds them
    assert not unmade(graph) and made == cold.edges and runs(made) == runs(cold.edges)
    assert [key for key in made if key[0] == IMPORTS] == [key for key in cold.edges if key[0] == IMPORTS]


def imports_run(graph: RepoGraph, sources: list[str], targets: list[str]) -> PendingImports:
    n = len(sources)
    importers = list(dict.fromkeys(sources))
    return PendingImports(len(graph.edges_of(())), [f"Module|r|{s}" for s in sources],
                          [f"Module|r|{t}" for t in targets], ["runtime"] * n, list(range(1, n + 1)),
                          [f"{s}.py" for s in sources], [(0, n, None)], [f"Module|r|{m}" for m in importers],
                          [sources.count(m) for m in importers])


def knows_run(graph: RepoGraph, people: list[str], files: list[str]) -> PendingKnows:
    return PendingKnows(len(graph.edges_of(())), [f"Person|r|{p}" for p in people], array("i", range(len(people))),
                        [f"File|r|{f}" for f in files], array("i", [1] * len(files)), [(True, 1, 0, 4.0, 0)],
                        array("i", [0] * len(files)), ["2024-01-01"] * len(files))


@pytest.mark.parametrize("first", [Rel.IMPORTS, Rel.KNOWS, None])
def test_runs_of_two_types_deferred_are_made_in_their_places_whichever_is_read_first(first):
    graph = RepoGraph("r")
    for label, keys in ((Label.PERSON, ("ada", "bob")), (Label.FILE, ("a.py", "b.py")), (Label.MODULE, ("a", "b"))):
        for key in keys:
            graph.add_node(label, key)
    graph.add_edge(Rel.OWNS, "Person|r|ada", "File|r|a.py")
    graph.defer_edges(imports_run(graph, ["a", "b"], ["b", "a"]))
    graph.add_edge(Rel.PART_OF, "Module|r|a", "File|r|a.py")
    graph.defer_edges(knows_run(graph, ["ada", "bob"], ["a.py", "b.py"]))
    graph.add_edge(Rel.OWNS, "Person|r|bob", "File|r|b.py")
    expected = ["OWNS", "IMPORTS", "IMPORTS", "PART_OF", "KNOWS", "KNOWS", "OWNS"]
    assert len(graph) == 6 + 7 and list(graph.counts()) == ["Person", "File", "Module", *dict.fromkeys(expected)]
    if first is not None:
        assert len(graph.of_type(first)) == 2
        other = Rel.KNOWS if first is Rel.IMPORTS else Rel.IMPORTS
        assert unmade(graph, other.value) and not unmade(graph, first.value)
        assert list(graph.counts())[3:] == list(dict.fromkeys(expected))  # (counted in their places still)
    assert [key[0] for key in graph.edges] == expected
    assert graph.edges[(IMPORTS, "Module|r|b", "Module|r|a")].get("file") == "b.py"


def test_an_imports_edge_made_alone_otherwise_than_all_at_once_fails_the_check(monkeypatch):
    graph = RepoGraph("r")
    for key in ("a", "b", "c"):
        graph.add_node(Label.MODULE, key)
    held = imports_run(graph, ["a", "a", "b"], ["b", "c", "c"])
    graph.defer_edges(held)
    assert graph.edge((IMPORTS, "Module|r|a", "Module|r|c")).get("lines") == [2]
    held.lines = [1, 3, 3]  # the columns the edges made alone read, now not those they were made from
    monkeypatch.setattr(held, "apart", lambda: PendingImports(0, held.sources, held.targets, held.kinds, [1, 2, 3],
                                                              held.files, held.runs, held.importers,
                                                              held.counts).make())
    with pytest.raises(AssertionError, match="made alone"):
        graph.edge((IMPORTS, "Module|r|a", "Module|r|c"))
    with pytest.raises(AssertionError, match="made alone"):
        held.into({"Module|r|c"})  # (what ``edges_into`` asks of a large run)
    assert held.sources_into({"Module|r|c"}) == {"Module|r|a", "Module|r|b"}
    held.runs = [(0, 2, None)]  # b's import lost
    with pytest.raises(AssertionError, match="found alone"):
        held.sources_into({"Module|r|c"})
    with pytest.raises(AssertionError, match="looked up alone"):
        graph.has_edge((IMPORTS, "Module|r|b", "Module|r|c"))


def test_a_second_run_of_a_type_deferred_is_refused():
    graph = RepoGraph("r")
    for key in ("a", "b"):
        graph.add_node(Label.MODULE, key)
    graph.defer_edges(imports_run(graph, ["a"], ["b"]))
    with pytest.raises(ValueError, match="holds IMPORTS edges already"):
        graph.defer_edges(imports_run(graph, ["b"], ["a"]))
    assert [key[2] for key in graph.edges] == ["Module|r|b"]
