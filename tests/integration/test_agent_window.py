"""The agent inventory's window after new commits (``cochange._window``): found from the remembered one.

The components' ``agent_share`` counts the commits in the ``[agents] recent_days`` before the newest. After new
commits on top of those counted, the window starts no earlier than it did, so only the positions from its remembered
start are looked at. Here: that shortcut is taken after a commit, the stored graph is what a cold ingest stores, and
the check (``CAIRN_VERIFY_SKIPS=1``, on in every test) refuses a remembered start that would leave commits out.
"""

from __future__ import annotations

import pytest

import cairn.ingest.cochange as cochange
from cairn.api.services.ingesting import ingest_into_store
from cairn.graph.sqlite_store import SqliteStore
from fixtures.gitrepo import GitRepo
from test_incremental_parity import stored_rows

ADA = ("Ada Lovelace", "ada@example.com")
CLAUDE = ("Claude", "noreply@anthropic.com")


def _repo(tmp_path) -> GitRepo:
    repo = GitRepo(tmp_path / "app")
    repo.commit({"pkg/a/__init__.py": "", "pkg/b/__init__.py": ""}, message="start", author=ADA, date="2023-01-01T00:00:00+00:00")
    for month in range(2, 13):  # a year of commits, the last months' inside the window, some by an agent
        repo.commit({f"pkg/{'ab'[month % 2]}/m{month}.py": f"X = {month}\n"}, message=f"month {month}",
                    author=CLAUDE if month % 3 == 0 else ADA, date=f"2023-{month:02d}-01T00:00:00+00:00")
    return repo


def _starts(monkeypatch) -> list[int]:
    """The positions each look for the window starts at (the check's own look, from 0, recorded too)."""
    starts: list[int] = []
    looked = cochange._in_window

    def recording(committed, merge, since, start, n):
        starts.append(start)
        return looked(committed, merge, since, start, n)

    monkeypatch.setattr(cochange, "_in_window", recording)
    return starts


def test_after_a_commit_the_window_is_looked_for_from_its_remembered_start(tmp_path, monkeypatch):
    repo = _repo(tmp_path)
    warm = SqliteStore(tmp_path / "warm")
    starts = _starts(monkeypatch)
    ingest_into_store(warm, repo.root)
    assert starts == [0]  # nothing remembered: every commit

    repo.commit({"pkg/a/m13.py": "X = 13\n"}, message="next year", author=CLAUDE, date="2024-01-15T00:00:00+00:00")
    starts.clear()
    ingest_into_store(warm, repo.root)
    assert starts[0] > 0  # from the remembered start (then the check's look at every commit)
    assert starts[1:] == [0]
    ingest_into_store(SqliteStore(tmp_path / "cold"), repo.root)
    assert stored_rows(tmp_path / "warm", "app") == stored_rows(tmp_path / "cold", "app")


def _read_back_changed(tmp_path, monkeypatch, change) -> tuple[SqliteStore, GitRepo]:
    """A store ingested before a commit (of December: in the window) whose remembered counts are read back changed by
    ``change`` (given the ``ChangeMemory``)."""
    repo = _repo(tmp_path)
    warm = SqliteStore(tmp_path / "warm")
    ingest_into_store(warm, repo.root)
    repo.commit({"pkg/a/m13.py": "X = 13\n"}, message="next", author=ADA, date="2023-12-15T00:00:00+00:00")
    read = cochange.ChangeMemory.from_json

    def changed(data):
        memory = read(data)
        if memory is not None and memory.window_start is not None:
            change(memory)
        return memory

    monkeypatch.setattr(cochange.ChangeMemory, "from_json", staticmethod(changed))
    return warm, repo


def test_the_check_refuses_a_remembered_start_that_leaves_commits_out(tmp_path, monkeypatch):
    def too_late(memory):  # a start past commits that are in the window
        memory.window_start = memory.commits

    warm, repo = _read_back_changed(tmp_path, monkeypatch, too_late)
    with pytest.raises(AssertionError, match="agent inventory's window found"):
        ingest_into_store(warm, repo.root)


def _asked(monkeypatch) -> list[list[int]]:
    """The positions each ``CommitView.components_at`` call was given."""
    asked: list[list[int]] = []
    components_at = cochange.CommitView.components_at

    def recording(self, positions):
        asked.append(list(positions))
        return components_at(self, positions)

    monkeypatch.setattr(cochange.CommitView, "components_at", recording)
    return asked


def test_after_a_commit_the_window_is_counted_from_the_remembered_counts(tmp_path, monkeypatch):
    repo = _repo(tmp_path)
    warm = SqliteStore(tmp_path / "warm")
    ingest_into_store(warm, repo.root)
    # six weeks later: July's commit leaves the 180 days' window, January's joins it
    repo.commit({"pkg/a/m13.py": "X = 13\n"}, message="next year", author=CLAUDE, date="2024-01-15T00:00:00+00:00")
    asked = _asked(monkeypatch)
    ingest_into_store(warm, repo.root)
    # the commit that left, the one that joined, then the check's count of the whole window (August to January);
    # (the trends count the new commit after)
    assert asked[:3] == [[6], [12], [7, 8, 9, 10, 11, 12]]  # (positions: January 2023 is 0)
    ingest_into_store(SqliteStore(tmp_path / "cold"), repo.root)
    assert stored_rows(tmp_path / "warm", "app") == stored_rows(tmp_path / "cold", "app")


def test_the_check_refuses_remembered_window_counts_that_are_not_the_windows(tmp_path, monkeypatch):
    def one_more(memory):  # a commit of the window counted twice
        memory.recent[0]["a"] += 1

    warm, repo = _read_back_changed(tmp_path, monkeypatch, one_more)
    with pytest.raises(AssertionError, match="agent inventory's window counts"):
        ingest_into_store(warm, repo.root)
