"""After a commit, ``add_knowledge`` splices the KNOWS edges of the files the commit left alone from the last ingest's
memory (``ingest.knowledge._spliced``) when the files with history are the remembered ones: the edges, the memory and
the files' ``changes`` are those a cold ingest builds, and ``CAIRN_VERIFY_SKIPS`` (on in the tests) checks each splice
against the file-by-file fill (``_built``), so a wrong one fails."""

from __future__ import annotations

import pytest

from cairn.graph.model import Label, Rel
from cairn.ingest import knowledge
from cairn.ingest.pipeline import ingest_repository
from fixtures.gitrepo import GitRepo

ADA, BOB, CAT = ("Ada Lovelace", "ada@example.com"), ("Bob Builder", "bob@example.com"), ("Cat Stevens", "cat@example.com")


def knowledge_of(graph):
    edges = sorted((e.source, e.target, tuple(sorted(e.current_props().items()))) for e in graph.of_type(Rel.KNOWS))
    changes = sorted((n.key, n.get("changes")) for n in graph.of_label(Label.FILE))
    return edges, changes


def spied(monkeypatch):
    """The result of each ``_spliced`` call, and how many times ``_built`` filled a memory."""
    calls = {"spliced": [], "built": 0}
    spliced, built = knowledge._spliced, knowledge._built

    def spy_spliced(*args):
        found = spliced(*args)
        calls["spliced"].append(found is not None)
        return found

    def spy_built(*args):
        calls["built"] += 1
        return built(*args)

    monkeypatch.setattr(knowledge, "_spliced", spy_spliced)
    monkeypatch.setattr(knowledge, "_built", spy_built)
    return calls


def shop(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.commit({"src/a.py": "A = 1\n", "src/b.py": "B = 1\n", "src/c.py": "C = 1\n", "src/e.py": "E = 1\n"}, author=ADA)
    repo.commit({"src/a.py": "A = 2\n", "src/b.py": "B = 2\n"}, author=BOB, trailers=[f"Co-authored-by: {CAT[0]} <{CAT[1]}>"])
    repo.rename("src/c.py", "src/d.py", author=CAT)
    return repo


def test_the_edges_of_files_a_commit_left_alone_are_spliced_as_a_cold_ingest_builds_them(tmp_path, monkeypatch):
    repo = shop(tmp_path)
    cache = tmp_path / "cache"
    ingest_repository(repo.root, cache_dir=cache)
    calls = spied(monkeypatch)
    repo.commit({"src/a.py": "A = 3\n", "src/d.py": "C = 2\n"}, author=CAT)  # one plain file, one renamed
    graph = ingest_repository(repo.root, cache_dir=cache).graph
    assert calls["spliced"] == [True] and calls["built"] == 1  # taken (``_built`` ran once: the check)
    assert knowledge_of(graph) == knowledge_of(ingest_repository(repo.root, cache_dir=tmp_path / "cold").graph)

    repo.commit({"src/f.py": "F = 1\n"}, author=BOB)  # a new file with history: not the remembered files
    graph = ingest_repository(repo.root, cache_dir=cache).graph
    assert calls["spliced"][1] is False and calls["built"] == 3  # (the cold ingest before: one fill, nothing to splice)
    assert knowledge_of(graph) == knowledge_of(ingest_repository(repo.root, cache_dir=tmp_path / "cold2").graph)


def test_a_wrong_splice_fails_the_check_and_differs_from_a_cold_ingest(tmp_path, monkeypatch):
    repo = shop(tmp_path)
    cache = tmp_path / "cache"
    ingest_repository(repo.root, cache_dir=cache)
    spliced = knowledge._spliced
    # told that the new commit changed no record: the edges of the file it changed would be copied as they were
    monkeypatch.setattr(knowledge, "_spliced", lambda graph, history, old, new, nodes, touched, slot: spliced(
        graph, history, old, new, nodes, set(), slot))
    repo.commit({"src/a.py": "A = 3\n"}, author=CAT)
    assert_caught_and_stale(repo, cache, tmp_path / "cold", monkeypatch, "spliced")


def assert_caught_and_stale(repo, cache, cold, monkeypatch, match):
    """The ingest of ``repo`` with ``cache`` fails the check (``match``), and without it gives other KNOWS edges than a
    cold ingest (into ``cold``)."""
    with pytest.raises(AssertionError, match=match):
        ingest_repository(repo.root, cache_dir=cache)
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")
    stale = knowledge_of(ingest_repository(repo.root, cache_dir=cache).graph)
    assert stale != knowledge_of(ingest_repository(repo.root, cache_dir=cold).graph)
