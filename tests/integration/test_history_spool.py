"""A cold ingest starts ``git log`` before it checks the checkout and parses the code (``spool.spool_history``) and
stores exactly what an ingest that starts it later stores; an ingest that remembers the history starts none."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_incremental_parity import assert_same_rows
from test_trend_replay_parity import random_history
from test_trends_beside import stored_answers

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.ingest import history_stream
from fixtures.gitrepo import GitRepo


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    return random_history(tmp_path_factory.mktemp("spool") / "repo", 11, 300)


def test_a_cold_ingest_reads_a_spooled_log_and_stores_what_a_piped_one_stores(history, tmp_path, monkeypatch) -> None:
    replayed: list[str] = []
    replay = history_stream.SpooledLog.replay

    def counting(self, parser):
        replayed.append(self.head)
        return replay(self, parser)

    monkeypatch.setattr(history_stream.SpooledLog, "replay", counting)
    ingest_into_store(open_store(str(tmp_path / "spooled")), history)
    assert len(replayed) == 1
    monkeypatch.setattr(history_stream.SpooledLog, "start", classmethod(lambda cls, root, head: None))
    ingest_into_store(open_store(str(tmp_path / "piped")), history)
    assert len(replayed) == 1
    assert_same_rows(tmp_path / "spooled", tmp_path / "piped", "repo")
    assert stored_answers(tmp_path / "spooled") == stored_answers(tmp_path / "piped")


def test_an_ingest_that_remembers_the_history_starts_no_log_ahead(history, tmp_path, monkeypatch) -> None:
    store = open_store(str(tmp_path / "store"))
    ingest_into_store(store, history)
    started: list[str] = []
    start = history_stream.SpooledLog.start.__func__

    def recording(cls, root, head):
        started.append(head)
        return start(cls, root, head)

    monkeypatch.setattr(history_stream.SpooledLog, "start", classmethod(recording))
    repo = GitRepo(history)
    repo.commit({"late.py": "x = 1\n"}, author=("Late Comer", "late@example.com"), message="one more")
    try:
        result = ingest_into_store(store, history)
    finally:
        repo.git("reset", "-q", "--hard", "HEAD~1")
    assert started == [] and result.summary.commits == 301


def test_git_log_starts_before_the_checkout_is_checked_for_changes(history, tmp_path, monkeypatch) -> None:
    from cairn.api.services import ingesting

    order: list[str] = []
    start = history_stream.SpooledLog.start.__func__
    checkout_state = ingesting.checkout_state

    def starting(cls, root, head):
        order.append("log")
        return start(cls, root, head)

    def checking(*args, **kwargs):
        order.append("checkout")
        return checkout_state(*args, **kwargs)

    monkeypatch.setattr(history_stream.SpooledLog, "start", classmethod(starting))
    monkeypatch.setattr(ingesting, "checkout_state", checking)
    store = open_store(str(tmp_path / "store"))
    ingest_into_store(store, history)
    assert order == ["log", "checkout"]
    order.clear()
    assert ingest_into_store(store, history).unchanged and order == ["checkout"]  # the history is remembered: no log
