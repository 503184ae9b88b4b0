"""The history state is written by a forked child while the ingest goes on (``save_beside``): the same file as the
sequential save, and a state that cannot be written is said in the summary either way."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from test_trend_replay_parity import _fast_import

from cairn.api.bootstrap import open_store
from cairn.api.services import beside as beside_module
from cairn.api.services.ingesting import SUMMARY, ingest_into_store
from cairn.ingest.git import git
from cairn.ingest.history_state import state_path
from fixtures.gitrepo import GitRepo

forking = pytest.mark.skipif(not beside_module.ENABLED, reason="forking is Linux-only")


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    repo = GitRepo(tmp_path_factory.mktemp("state") / "repo")
    git(repo.root, "fast-import", "--quiet", input=_fast_import(random.Random(5), 200), text=False, check=True)
    repo.git("reset", "-q", "--hard", "main")
    return repo.root


def _state_of(store_dir: Path, root: Path) -> Path:
    return state_path(store_dir / "cache", root.resolve())


def _without_token(state: bytes) -> bytes:
    """The state without the KNOWS edges' token (drawn afresh by every ingest that writes them; same length)."""
    blanked, count = re.subn(rb'"token":"[0-9a-f]{16}"', b'"token":"0000000000000000"', state)
    assert count == 1
    return blanked


@forking
def test_the_state_written_beside_is_the_one_written_in_process(history, tmp_path, monkeypatch) -> None:
    children: list[int] = []
    fork = beside_module.os.fork

    def counting_fork():
        pid = fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(beside_module.os, "fork", counting_fork)
    ingest_into_store(open_store(str(tmp_path / "beside")), history)
    assert len(children) == 2  # the trends' replay and the state's save
    monkeypatch.setattr(beside_module, "ENABLED", False)
    ingest_into_store(open_store(str(tmp_path / "in-process")), history)
    beside, in_process = _state_of(tmp_path / "beside", history), _state_of(tmp_path / "in-process", history)
    assert _without_token(beside.read_bytes()) == _without_token(in_process.read_bytes())
    assert not list(beside.parent.glob(".*.tmp"))  # nothing left half-written


@pytest.mark.parametrize("fork", [True, False], ids=["beside", "in-process"])
def test_a_state_that_cannot_be_written_is_a_note_and_the_ingest_goes_on(history, tmp_path, monkeypatch, fork) -> None:
    if fork and not beside_module.ENABLED:
        pytest.skip("forking is Linux-only")
    monkeypatch.setattr(beside_module, "ENABLED", fork)
    store = open_store(str(tmp_path / "store"))
    _state_of(tmp_path / "store", history).mkdir(parents=True)  # a directory where the file should go
    result = ingest_into_store(store, history)
    assert result.summary.commits == 200
    assert any(note.startswith("history state not saved") for note in result.summary.notes), result.summary.notes
    stored = next(r for r in store.repositories() if r.repo == result.repo)
    assert any(note.startswith("history state not saved") for note in stored.props[SUMMARY]["notes"])
