"""The history state of a long history is written by a forked child while the ingest goes on (``save_beside``)
when the trends' child is done, and in process while that child still replays (a second child would only slow it
down), for a short history and after new commits (faster than forking): the same file either way as the sequential save, and a state
that cannot be written is said in the summary in every case."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from test_trend_replay_parity import random_history

from cairn.api.bootstrap import open_store
from cairn.api.services import beside as beside_module
from cairn.api.services.beside import Beside
from cairn.api.services.changes_over_time import FactorsBeside
from cairn.api.services.ingesting import SUMMARY, ingest_into_store
from cairn.ingest import history_state, pipeline
from cairn.ingest.history_state import StateFile, state_path
from fixtures.gitrepo import GitRepo

forking = pytest.mark.skipif(not beside_module.ENABLED, reason="forking is Linux-only")


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    return random_history(tmp_path_factory.mktemp("state") / "repo", 5, 200)


@pytest.fixture(autouse=True)
def long_history(monkeypatch) -> None:
    """These histories count as long enough for a child to write their state (tests that say otherwise undo it)."""
    monkeypatch.setattr(pipeline, "STATE_BESIDE_COMMITS", 100)


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The children forked from now on (``Beside``, through ``graph.forked``)."""
    children: list[int] = []
    fork = os.fork

    def counting_fork():
        pid = fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting_fork)
    return children


def _state_of(store_dir: Path, root: Path) -> Path:
    return state_path(store_dir / "cache", root.resolve())


def _without_token(state: bytes) -> bytes:
    """The state without the KNOWS edges' token (drawn afresh by every ingest that writes them; same length)."""
    blanked, count = re.subn(rb'"token":"[0-9a-f]{16}"', b'"token":"0000000000000000"', state)
    assert count == 1
    return blanked


@forking
def test_the_state_written_beside_is_the_one_written_in_process(history, tmp_path, monkeypatch, forks) -> None:
    monkeypatch.setattr(FactorsBeside, "computing", lambda self: False)  # the trends' child is done: fork for the state
    ingest_into_store(open_store(str(tmp_path / "beside")), history)
    assert len(forks) == 2  # the trends' replay and the state's save
    monkeypatch.setattr(beside_module, "ENABLED", False)
    ingest_into_store(open_store(str(tmp_path / "in-process")), history)
    beside, in_process = _state_of(tmp_path / "beside", history), _state_of(tmp_path / "in-process", history)
    assert _without_token(beside.read_bytes()) == _without_token(in_process.read_bytes())
    assert not list(beside.parent.glob(".*.tmp"))  # nothing left half-written


@forking
def test_while_the_trends_child_replays_the_state_is_written_in_process(history, tmp_path, monkeypatch, forks) -> None:
    monkeypatch.setattr(FactorsBeside, "computing", lambda self: True)  # a second child would only slow it down
    ingest_into_store(open_store(str(tmp_path / "store")), history)
    assert len(forks) == 1 and _state_of(tmp_path / "store", history).is_file()


def test_a_child_is_computing_until_it_sends_its_result() -> None:
    if not beside_module.ENABLED:
        pytest.skip("forking is Linux-only")
    read_end, write_end = os.pipe()
    job = Beside(lambda: os.read(read_end, 1) and "done").start()  # the child waits for a byte from this process
    assert job.computing()
    os.write(write_end, b"x")
    assert job.result() == "done" and not job.computing()
    os.close(read_end)
    os.close(write_end)
    assert not Beside(lambda: 1).computing()  # not started: nothing computes


@pytest.mark.parametrize("fork", [True, False], ids=["beside", "in-process"])
@pytest.mark.parametrize("trends_child", ["computing", "done"])
def test_a_state_that_cannot_be_written_is_a_note_and_the_ingest_goes_on(history, tmp_path, monkeypatch, fork,
                                                                         trends_child) -> None:
    if fork and not beside_module.ENABLED:
        pytest.skip("forking is Linux-only")
    monkeypatch.setattr(beside_module, "ENABLED", fork)
    monkeypatch.setattr(FactorsBeside, "computing", lambda self: trends_child == "computing")
    store = open_store(str(tmp_path / "store"))
    _state_of(tmp_path / "store", history).mkdir(parents=True)  # a directory where the file should go
    result = ingest_into_store(store, history)
    assert result.summary.commits == 200
    assert any(note.startswith("history state not saved") for note in result.summary.notes), result.summary.notes
    stored = next(r for r in store.repositories() if r.repo == result.repo)
    assert any(note.startswith("history state not saved") for note in stored.props[SUMMARY]["notes"])


@forking
def test_a_short_history_and_new_commits_have_their_state_written_in_process(history, tmp_path, monkeypatch) -> None:
    started: list[object] = []
    start = Beside.start

    def recording(self):
        started.append(self._compute)
        return start(self)

    monkeypatch.setattr(Beside, "start", recording)
    monkeypatch.setattr(FactorsBeside, "computing", lambda self: False)

    def state_saves() -> list[object]:
        return [c for c in started if getattr(getattr(c, "func", None), "__func__", None) is StateFile.save]

    monkeypatch.setattr(pipeline, "STATE_BESIDE_COMMITS", 201)
    ingest_into_store(open_store(str(tmp_path / "short")), history)
    assert state_saves() == [] and _state_of(tmp_path / "short", history).is_file()  # 200 commits < 201
    monkeypatch.setattr(pipeline, "STATE_BESIDE_COMMITS", 100)
    monkeypatch.setattr(history_state, "UNSAVED_FLOOR", 0)  # the state written after the new commit (not left unsaved)
    store = open_store(str(tmp_path / "store"))
    ingest_into_store(store, history)
    assert len(state_saves()) == 1  # 200 commits read whole, "long" here: its state is written by a child
    started.clear()
    repo = GitRepo(history)
    repo.commit({"late.py": "x = 1\n"}, author=("Late Comer", "late@example.com"), message="one more")
    try:
        state = _state_of(tmp_path / "store", history)
        before = state.stat().st_mtime_ns
        result = ingest_into_store(store, history)
    finally:
        repo.git("reset", "-q", "--hard", "HEAD~1")
    assert result.summary.commits == 201 and state_saves() == []  # one new commit read: written in process
    assert state.stat().st_mtime_ns != before


def test_a_parse_cache_that_cannot_be_written_is_a_note_where_the_save_in_place_put_it(history, tmp_path,
                                                                                       monkeypatch) -> None:
    """The parse cache is written by a thread beside the code graph (``pipeline._written_by_thread``): its failure is
    the same note, before the cache's own notes, as when it was written in place; anything else it raises is raised
    by the ingest."""
    from cairn.ingest.code.cache import ParseCache

    def refused(self) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ParseCache, "save", refused)
    result = ingest_into_store(open_store(str(tmp_path / "store")), history)
    notes = [n for n in result.summary.notes if n.startswith("parse cache not saved")]
    assert notes == ["parse cache not saved ([Errno 28] No space left on device)"], result.summary.notes

    def broken(self) -> None:
        raise RuntimeError("a bug in the cache")

    monkeypatch.setattr(ParseCache, "save", broken)
    with pytest.raises(RuntimeError, match="a bug in the cache"):
        ingest_into_store(open_store(str(tmp_path / "other")), history)


@forking
def test_the_parse_cache_saved_beside_the_history_is_waited_for_before_the_ingest_forks(history, tmp_path,
                                                                                        monkeypatch) -> None:
    """The thread that writes the parse cache runs on while the history is read, and is waited for before the first
    step that forks (no thread may run in a process that forks): a slow save is still running when the history is
    read, and ended at every fork."""
    import threading
    import time

    from cairn.ingest.code.cache import ParseCache

    save, read, fork = ParseCache.save, pipeline.mine_history, os.fork
    saving_while_read: list[bool] = []
    threads_at_forks: list[list[str]] = []

    def slow_save(self) -> None:
        time.sleep(0.5)
        save(self)

    def reading(*args, **kwargs):
        saving_while_read.append(any(t.name == "cairn-save" for t in threading.enumerate()))
        return read(*args, **kwargs)

    def watched_fork():
        threads_at_forks.append([t.name for t in threading.enumerate() if t is not threading.main_thread()])
        return fork()

    monkeypatch.setattr(ParseCache, "save", slow_save)
    monkeypatch.setattr(pipeline, "mine_history", reading)
    monkeypatch.setattr(os, "fork", watched_fork)
    ingest_into_store(open_store(str(tmp_path / "store")), history)
    assert saving_while_read == [True]
    assert threads_at_forks and all("cairn-save" not in names for names in threads_at_forks), threads_at_forks
