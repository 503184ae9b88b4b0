"""``change_days`` held unmade after a commit (``cochange.add_change_counts``, ``RepoGraph.hold_props``).

Only a reader of whole nodes needs a File's ``change_days``; after a commit the save reads the few File nodes of the
chunks it writes, and asks the graph for those first (``RepoGraph.make_props``). Here: the ingest a command runs
(``graph_read=False``) leaves most of them unmade (seen with the check off: it reads every node) and stores what a
cold ingest stores; one whose caller reads the
graph finds them all made; a store that would serialise a node without asking fails rather than stores the
placeholder; and the check (``CAIRN_VERIFY_SKIPS=1``, on in every test) refuses days made later that differ from
those made at once.
"""

from __future__ import annotations

import pytest

from cairn.api.services.ingesting import ingest_into_store
from cairn.graph.errors import StoreError
from cairn.graph.model import Label, RepoGraph
from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.store import GraphChanges
from cairn.ingest.cochange import HELD_DAYS
from fixtures.gitrepo import GitRepo
from test_incremental_parity import stored_rows

ADA, BOB = ("Ada Lovelace", "ada@example.com"), ("Bob Builder", "bob@example.com")


def _repo(tmp_path) -> GitRepo:
    repo = GitRepo(tmp_path / "app")
    files = {"src/app/__init__.py": ""}
    for i in range(150):  # enough File nodes for many chunks (about one node in 32 ends one)
        files[f"src/app/m{i:03d}.py"] = f"from app import m{(i + 1) % 150:03d}\n"
    repo.commit(files, message="initial", author=ADA)
    repo.commit({f"src/app/m{i:03d}.py": f"X = {i}\n" for i in range(0, 150, 7)}, message="second", author=BOB)
    return repo


def _held(graph: RepoGraph) -> list[str]:
    return [node.key for node in graph.of_label(Label.FILE) if node.props.get("change_days") is HELD_DAYS]


def test_after_a_commit_most_days_stay_unmade_and_the_store_holds_what_a_cold_ingest_stores(tmp_path, monkeypatch):
    repo = _repo(tmp_path)
    warm = SqliteStore(tmp_path / "warm")
    first = ingest_into_store(warm, repo.root, graph_read=False)
    assert _held(first.graph) == []  # nothing stored: the save reads every node

    repo.commit({"src/app/m010.py": "from app import m011\n\nA = 1\n"}, message="third", author=BOB)
    with monkeypatch.context() as unchecked:  # (the check reads every node whole, and so makes every node's days)
        unchecked.setenv("CAIRN_VERIFY_SKIPS", "0")
        result = ingest_into_store(warm, repo.root, graph_read=False)
    files = result.graph.of_label(Label.FILE)
    held = _held(result.graph)
    assert len(held) > len(files) // 2  # the skip is taken: most were never made
    assert "src/app/m010.py" not in held  # the file the commit changed was written, its days made
    cold = SqliteStore(tmp_path / "cold")
    ingest_into_store(cold, repo.root)
    assert stored_rows(tmp_path / "warm", "app") == stored_rows(tmp_path / "cold", "app")

    # a caller that reads the graph finds every node whole, as the store holds it
    repo.commit({"src/app/m020.py": "B = 2\n"}, message="fourth", author=ADA)
    with monkeypatch.context() as unchecked:
        unchecked.setenv("CAIRN_VERIFY_SKIPS", "0")
        read = ingest_into_store(warm, repo.root)
    assert _held(read.graph) == []
    stored = warm.load("app")
    assert all(node.props == stored.nodes[node.id].props for node in read.graph.of_label(Label.FILE))


def test_a_save_that_reads_a_held_node_without_asking_fails_instead_of_storing_it(tmp_path):
    graph = RepoGraph("app")
    graph.add_node(Label.REPOSITORY, "app")
    node = graph.add_node(Label.FILE, "a.py", revisions=1, change_days=HELD_DAYS, agent_changes=0)
    graph.hold_props(lambda ids: None)  # a maker that makes nothing: the placeholder reaches the save
    with pytest.raises(StoreError):
        SqliteStore(tmp_path / "store").save_changes(GraphChanges(graph))
    assert node.props["change_days"] is HELD_DAYS


def test_the_check_refuses_days_made_later_that_differ_from_those_made_at_once(tmp_path, monkeypatch):
    import cairn.ingest.cochange as cochange

    repo = _repo(tmp_path)
    warm = SqliteStore(tmp_path / "warm")
    ingest_into_store(warm, repo.root)
    repo.commit({"src/app/m010.py": "A = 1\n"}, message="third", author=BOB)
    made_at_once = cochange._Days.of

    def one_day_more(self, files):  # the days the maker makes later are one day off
        return ([*days, days[-1] + 1] if days else [1] for days in made_at_once(self, files))

    class Shifted(cochange._DaysMaker):
        def __init__(self, *args):
            super().__init__(*args)
            monkeypatch.setattr(cochange._Days, "of", one_day_more)

    monkeypatch.setattr(cochange, "_DaysMaker", Shifted)
    with pytest.raises(AssertionError, match="made later differ"):
        ingest_into_store(warm, repo.root, graph_read=False)
