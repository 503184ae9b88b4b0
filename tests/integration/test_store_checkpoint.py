"""The embedded store's saves of a new version and of its answers copy the write-ahead log into the database once:
a save's commit leaves the log as it is (``SqliteStore.save_changes``), the answers' commit that follows it copies
both (after a commit at 50k files they write 6 MB: a copy each synced the files twice)."""

from __future__ import annotations

import os

from cairn.graph.model import Label, RepoGraph
from cairn.graph.sqlite_store import WAL_AUTOCHECKPOINT, SqliteStore


def _graph(text: str) -> RepoGraph:
    graph = RepoGraph("r")
    graph.add_node(Label.REPOSITORY, "r")
    graph.add_node(Label.FILE, "big.py", path="big.py", text=text)
    return graph


def _database(store: SqliteStore) -> tuple[int, int]:
    stat = os.stat(store.path)
    return stat.st_size, stat.st_mtime_ns


def test_a_save_leaves_the_log_to_the_answers_commit_that_follows_it(tmp_path):
    store = SqliteStore(tmp_path / "s")
    store.save(_graph("a"))
    store.save_answers("r", {"one": 1})
    before = _database(store)
    store.save(_graph("b" * 6_000_000))  # more pages than a commit leaves in the log before copying it
    assert _database(store) == before  # in the log only
    assert store._connection(create=False).execute("PRAGMA wal_autocheckpoint").fetchone()[0] == WAL_AUTOCHECKPOINT
    store.save_answers("r", {"one": 2})
    assert _database(store) != before  # copied now, both commits at once
    assert store.load("r").node(Label.FILE, "big.py").props["text"] == "b" * 6_000_000
    assert store.load_answer("r", "one") == 2
