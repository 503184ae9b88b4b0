"""The nodes a save after a commit takes as stored without looking at them (``GraphChanges.nodes_changed``).

An ingest names the nodes that may differ from the stored graph (the File and Module nodes whose code or history
changed, every node of another label) when that graph is the one it compared with, and nothing else that makes File
and Module nodes changed (``code_graph.file_inputs``); the embedded store keeps, unread, the chunks of nodes holding
none of them. Every test runs with ``CAIRN_VERIFY_SKIPS=1`` (tests/conftest.py): a chunk taken as stored that differs
from the new graph fails the save. Here: after each kind of change the ingest stores what a cold one does (with the
nodes named where the stored graph allows it, and compared whole where something global changed), and a store
given a wrong promise keeps the stale node where the check is off and refuses it where it is on.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest

import cairn.graph.sqlite_chunks as chunks_module
import cairn.graph.sqlite_write as write_module
from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import add_reviews, ingest_into_store
from cairn.api.services.workspace import Workspace
from cairn.graph.errors import StoreError
from cairn.graph.model import Label, RepoGraph
from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.store import GraphChanges
from fixtures.gitrepo import GitRepo
from fixtures.stored_answers import assert_answers_as_cold
from test_incremental_parity import Recording, stored_rows

ADA, BOB, CAROL = ("Ada Lovelace", "ada@example.com"), ("Bob Builder", "bob@example.com"), ("Carol", "carol@example.com")


def _files(count: int) -> dict[str, str]:
    """Enough modules for the nodes to make many chunks (about one node in 32 ends one)."""
    files = {"src/app/__init__.py": "", "docs/guide.md": "# guide\n", "README.md": "# app\n"}
    for i in range(count):
        files[f"src/app/m{i:03d}.py"] = f"from app import m{(i + 1) % count:03d}\nimport json\n"
    return files


def test_after_each_kind_of_change_the_save_stores_what_a_cold_ingest_stores(tmp_path):
    repo = GitRepo(tmp_path / "app")
    repo.commit(_files(120), message="initial", author=ADA)
    repo.commit({"src/app/m001.py": "from app import m002\n"}, message="second", author=BOB)
    warm = Recording(tmp_path / "warm")
    ingest_into_store(warm, repo.root)
    assert warm.saved[-1].nodes_changed is None  # nothing stored

    def merge() -> None:
        repo.git("checkout", "-q", "-b", "topic", "HEAD~1")
        repo.commit({"src/app/m050.py": "from app import m051\n\n\nTOPIC = 1\n"}, message="topic", author=CAROL)
        repo.git("checkout", "-q", "main")
        repo.commit({"src/app/m060.py": "import os\n"}, message="on main", author=ADA)
        repo.git("merge", "-q", "--no-ff", "-m", "Merge topic", "topic")

    def review() -> None:
        add_reviews(Workspace(Recording(tmp_path / "warm"), naming_hint=""), "app",
                    [{"reviewer": "Carol <carol@example.com>", "files": ["src/app/m003.py"], "pull_request": 1}])
        repo.commit({"src/app/m004.py": "X = 4\n"}, message="after review", author=BOB)

    # (what, the change, whether the save may take unnamed nodes as stored)
    steps = [
        ("a body change", lambda: repo.commit({"src/app/m010.py": "from app import m011\nimport json\n\nA = 1\n"},
                                                author=CAROL), True),
        ("an import changed", lambda: repo.commit({"src/app/m020.py": "from app import m099\n"}, author=ADA), True),
        # the change counts are counted again when the files change (paths map to files anew): compared whole then
        ("a rename", lambda: repo.rename("src/app/m030.py", "src/app/renamed.py", author=BOB), False),
        ("a delete and a new file", lambda: repo.commit({"src/app/new.py": "from app import m001\n"},
                                                          delete=["src/app/m040.py"], author=CAROL), False),
        ("documentation only", lambda: repo.commit({"docs/guide.md": "# guide\n\nmore\n\nlines\n"}, author=ADA), True),
        ("a merge of a branch", merge, True),
        ("uncommitted edits (lines of a document and of a module)",
         lambda: repo.write({"README.md": "# app\n\n\n\nwords\n", "src/app/m070.py": "import json\n\n\n\nB = 2\n"}), True),
        ("CODEOWNERS", lambda: repo.commit({"CODEOWNERS": "/src/app/ @bob\n"}, author=BOB), None),
        (".gitattributes", lambda: repo.commit({".gitattributes": "docs/** linguist-documentation=false\n"},
                                               author=ADA), False),
        ("the configuration", lambda: repo.commit({"cairn.toml": "[ingest]\nexclude = [\"src/app/m09*\"]\n"},
                                                  author=ADA), False),
        ("a departed person", lambda: repo.commit(
            {"cairn.toml": "[ingest]\nexclude = [\"src/app/m09*\"]\n\n[identities]\ndeparted = [\"Bob Builder\"]\n"},
            author=CAROL), False),
        ("a review record", review, False),
        ("a commit after the review", lambda: repo.commit({"src/app/m005.py": "X = 5\n"}, author=CAROL), True),
    ]
    for number, (what, change, skips) in enumerate(steps, 1):
        change()
        ingest_into_store(warm, repo.root)
        named = warm.saved[-1].nodes_changed
        if skips is not None:
            assert (named is not None) == skips, what
        if named is not None:  # the named nodes are few: most chunks were taken as stored
            assert len([n for n in named if n.startswith("File|")]) < 10, what
        cold = open_store(str(tmp_path / f"cold-{number}"))
        cold.save_reviews("app", warm.load_reviews("app"))
        ingest_into_store(cold, repo.root)
        _assert_same_rows(tmp_path / "warm", tmp_path / f"cold-{number}")


def _assert_same_rows(warm: Path, cold: Path) -> None:
    """Every stored row as the cold ingest's (``test_incremental_parity.assert_same_rows``), but for the note of an
    ingest that read the history in full (the identities changed), which a cold ingest has no reason to make (the
    answers that show the notes are then compared at the next step)."""
    (warm_nodes, warm_edges), (cold_nodes, cold_edges) = stored_rows(warm, "app"), stored_rows(cold, "app")
    noted = False
    for nodes in (warm_nodes, cold_nodes):
        repository = json.loads(nodes["Repository|app"])
        for key in ("history_notes", "ingest_notes"):
            kept = [n for n in repository[key] if not n.startswith("history read in full")]
            noted |= kept != repository[key]
            repository[key] = kept
        repository["ingest_summary"]["notes"] = repository["history_notes"]
        nodes["Repository|app"] = json.dumps(repository, sort_keys=True)
    assert {k: v for k, v in warm_nodes.items() if cold_nodes.get(k) != v} == {}
    assert warm_nodes.keys() == cold_nodes.keys()
    assert {k: v for k, v in warm_edges.items() if cold_edges.get(k) != v} == {}
    assert warm_edges.keys() == cold_edges.keys()
    if not noted:
        assert_answers_as_cold(warm, cold, "app")


def _graph(values: dict[str, int]) -> RepoGraph:
    graph = RepoGraph("r")
    graph.add_node(Label.REPOSITORY, "r")
    for key, value in values.items():
        graph.add_node(Label.FILE, key, path=key, lines=value)
    return graph


def _stored_lines(store: SqliteStore) -> dict[str, int]:
    return {node.key: node.props["lines"] for node in store.load("r").of_label(Label.FILE)}


def test_a_changed_node_left_unnamed_is_kept_only_where_the_promise_is_trusted(tmp_path, monkeypatch):
    before = {f"f{i:04d}.py": i for i in range(600)}
    store = SqliteStore(tmp_path / "s")
    store.save(_graph(before))
    after = {**before, "f0100.py": -1}
    after.pop("f0200.py")
    after["f0300b.py"] = 7  # added and gone need no naming: the store sees them
    changed = _graph(after)

    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")
    store.save_changes(GraphChanges(changed, nodes_changed=frozenset({"Repository|r"})))
    lines = _stored_lines(store)
    assert lines["f0100.py"] == 100  # the promise was wrong, and trusted: the stale value stays
    assert "f0200.py" not in lines and lines["f0300b.py"] == 7

    store.save_changes(GraphChanges(changed, nodes_changed=frozenset({"File|r|f0100.py"})))
    assert _stored_lines(store) == after  # named: written

    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    again = _graph({**after, "f0400.py": -4})
    with pytest.raises(StoreError, match="not named in nodes_changed"):
        store.save_changes(GraphChanges(again, nodes_changed=frozenset()))
    assert _stored_lines(store) == after  # the failed save wrote nothing
    store.save_changes(GraphChanges(again))  # unknown: every node compared
    assert _stored_lines(store)["f0400.py"] == -4


def _stored_rows_and_chunks(store_dir: Path) -> tuple[dict, dict]:
    with contextlib.closing(sqlite3.connect(store_dir / "cairn.db")) as db:
        return (dict(db.execute("SELECT id, props FROM nodes")), dict(db.execute("SELECT kind, chunks FROM digests")))


def test_with_every_node_added_named_only_the_chunks_of_named_nodes_are_read(tmp_path, monkeypatch):
    before = {f"f{i:04d}.py": i for i in range(900)}
    after = {**before, "f0100.py": -1, "f0300b.py": 7}  # one changed, one added
    after.pop("f0200.py")  # one gone: named
    named = frozenset({"Repository|r", "File|r|f0100.py", "File|r|f0300b.py", "File|r|f0200.py"})
    whole = SqliteStore(tmp_path / "whole")
    whole.save(_graph(before))
    whole.save(_graph(after))
    store = SqliteStore(tmp_path / "named")
    store.save(_graph(before))

    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")  # (the check digests every chunk)
    digested: list[int] = []
    digest = chunks_module._digest
    monkeypatch.setattr(chunks_module, "_digest", lambda rows, start, end, as_json: (
        digested.append(end - start), digest(rows, start, end, as_json))[1])
    ids_read = []
    monkeypatch.setattr(write_module, "_sync_nodes", _spy(write_module._sync_nodes, ids_read))
    store.save_changes(GraphChanges(_graph(after), nodes_changed=named, nodes_added_named=True))
    assert 0 < len(digested) <= 8 and sum(digested) < 250  # 900 nodes make about 28 chunks: those of the named ones
    assert ids_read == [False]  # no node's id was read but those of the named ones and their chunks
    assert _stored_rows_and_chunks(tmp_path / "named") == _stored_rows_and_chunks(tmp_path / "whole")

    # a node gone unnamed: the count shows it, every id is compared
    monkeypatch.setattr(chunks_module, "_digest", digest)
    again = {**after}
    again.pop("f0500.py")
    store.save_changes(GraphChanges(_graph(again), nodes_changed=frozenset({"Repository|r"}), nodes_added_named=True))
    assert ids_read[-1] is True and "f0500.py" not in _stored_lines(store) and _stored_lines(store) == again

    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    swapped = {**again, "f0600b.py": 6}  # added unnamed, while another goes unnamed: the count alone cannot tell
    swapped.pop("f0700.py")
    with pytest.raises(StoreError, match="not named in nodes_changed"):
        store.save_changes(GraphChanges(_graph(swapped), nodes_changed=frozenset({"Repository|r"}),
                                        nodes_added_named=True))
    assert _stored_lines(store) == again  # the failed save wrote nothing
    with pytest.raises(ValueError):
        GraphChanges(_graph(again), nodes_added_named=True)  # a promise about names not given


def _spy(sync_nodes, read):
    """``_sync_nodes``, noting whether it read every stored node's id (the whole comparison)."""

    def spied(conn, *args, **kwargs):
        traced: list[str] = []
        conn.set_trace_callback(traced.append)
        try:
            return sync_nodes(conn, *args, **kwargs)
        finally:
            conn.set_trace_callback(None)
            read.append(any(sql.startswith("SELECT id, nid FROM nodes WHERE rid = ") and " IN " not in sql
                            and " AND id " not in sql for sql in traced))

    return spied
