"""The authorship ``add_knowledge`` hands to the bus factor (``ingest.knowledge.authorship_of``) is what reading the
KNOWS edges gives, on a cold ingest and after commits (the author flags of files the commits left alone are taken
from the history's memory), and an ingest that applies review records reads the edges instead."""

from __future__ import annotations

from cairn.api.services.ingesting import ingest_into_store
from cairn.graph.sqlite_store import SqliteStore
from cairn.ingest import knowledge
from cairn.ingest.pipeline import ingest_repository
from cairn.queries import ownership
from fixtures.gitrepo import GitRepo

ADA, BOB, CAT = ("Ada Lovelace", "ada@example.com"), ("Bob Builder", "bob@example.com"), ("Cat Stevens", "cat@example.com")


def authorship_and_edges(root, cache):
    graph = ingest_repository(root, cache_dir=cache).graph
    taken = knowledge.authorship_of(graph)
    assert taken is not None and knowledge.authorship_of(graph) is None  # taken once
    return taken, ownership._authors_and_holders(graph, False)


def test_the_authorship_handed_over_is_what_the_edges_say(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.commit({"src/a.py": "A = 1\n", "src/b.py": "B = 1\n", "src/c.py": "C = 1\n"}, author=ADA)
    repo.commit({"src/a.py": "A = 2\n", "src/b.py": "B = 2\n"}, author=BOB, trailers=[f"Co-authored-by: {CAT[0]} <{CAT[1]}>"])
    repo.commit({"src/a.py": "A = 3\n"}, author=BOB)
    cache = tmp_path / "cache"
    taken, (authors, holders) = authorship_and_edges(repo.root, cache)
    assert (taken.authors, taken.holders) == (authors, holders)
    assert any(len(held) > len(authors.get(path, ())) for path, held in holders.items())  # a reviewer among them

    repo.rename("src/c.py", "src/d.py", author=CAT)
    repo.commit({"src/b.py": "B = 3\n"}, author=CAT)
    taken, (authors, holders) = authorship_and_edges(repo.root, cache)  # after commits: most flags from the memory
    assert (taken.authors, taken.holders) == (authors, holders) and "src/d.py" in authors


def test_an_ingest_applying_review_records_reads_the_edges(tmp_path, monkeypatch):
    given = []
    annotate = ownership.annotate_bus_factor
    monkeypatch.setattr(ownership, "annotate_bus_factor", lambda graph, authorship=None, kept=None: (
        given.append(authorship), annotate(graph, authorship, kept))[1])
    repo = GitRepo(tmp_path / "r")
    repo.commit({"src/a.py": "A = 1\n"}, author=ADA)
    store = SqliteStore(tmp_path / "store")
    ingest_into_store(store, repo.root)
    assert given[-1] is not None and list(given[-1].authors) == ["src/a.py"]  # no review records: handed over
    store.save_reviews(repo.root.name, [{"reviewer": "bob@example.com", "files": ["src/a.py"], "pull_request": 1,
                                         "submitted_at": "2024-01-01T00:00:00+00:00"}])
    repo.commit({"src/a.py": "A = 2\n"}, author=ADA)
    ingest_into_store(store, repo.root)
    assert given[-1] is None
