"""A long spooled log is written by two gits at once (``history_stream.SpooledLog``: ``--max-count=K`` and
``--skip=K``): read one after the other they are the log one git writes, wherever K falls, and with objects
missing the read goes on past the commits read as it does with one git."""

from __future__ import annotations

import os

import pytest
from test_history_degraded import _broken
from test_history_stream import _head, _repository, _summary

from cairn.ingest import history_stream
from cairn.ingest.config import IdentitySettings
from cairn.ingest.history import mine_history


@pytest.fixture
def split(monkeypatch):
    monkeypatch.setattr(history_stream, "SPLIT_COMMITS", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)


@pytest.mark.parametrize("share", [0.01, 0.3, 0.5, 0.99])
def test_two_gits_write_the_log_one_git_writes(tmp_path, monkeypatch, split, share) -> None:
    repo = _repository(tmp_path / "r")
    whole = _summary(mine_history(repo.root, IdentitySettings()))
    monkeypatch.setattr(history_stream, "NEWER_SHARE", share)
    monkeypatch.setattr(history_stream, "CHUNK_BYTES", 7)  # the reader catches up with both gits
    with history_stream.SpooledLog(repo.root, _head(repo)) as spooled:
        spooled._decided.join()
        assert [p.git.proc.args[-3] for p in spooled._parts] == [f"--max-count={max(1, int(13 * share))}",
                                                                  f"--skip={max(1, int(13 * share))}"]
        history = mine_history(repo.root, IdentitySettings(), spooled=spooled)
    assert _summary(history) == whole and history.complete
    assert all(p.file.closed for p in spooled._parts)


def test_a_log_closed_before_it_is_split_stops_every_git(tmp_path, split) -> None:
    repo = _repository(tmp_path / "r")
    spooled = history_stream.SpooledLog(repo.root, _head(repo))
    spooled.close()
    spooled._decided.join()
    assert all(p.file.closed and p.git.proc.poll() is not None for p in spooled._parts)


def test_a_short_history_or_one_core_is_one_git(tmp_path, monkeypatch) -> None:
    repo = _repository(tmp_path / "r")
    with history_stream.SpooledLog(repo.root, _head(repo)) as spooled:
        spooled._decided.join()
        assert len(spooled._parts) == 1  # 13 commits
    monkeypatch.setattr(history_stream, "SPLIT_COMMITS", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    with history_stream.SpooledLog(repo.root, _head(repo)) as spooled:
        spooled._decided.join()
        assert len(spooled._parts) == 1


@pytest.mark.parametrize("share", [0.2, 0.5, 0.9])
def test_objects_missing_under_two_gits_read_as_under_one(tmp_path, monkeypatch, split, share) -> None:
    repo, _ = _broken(tmp_path / "r")
    piped = mine_history(repo.root, IdentitySettings())
    monkeypatch.setattr(history_stream, "NEWER_SHARE", share)
    with history_stream.SpooledLog(repo.root, _head(repo)) as spooled:
        spooled._decided.join()
        assert len(spooled._parts) == 2
        history = mine_history(repo.root, IdentitySettings(), spooled=spooled)
    log, again = piped.log, history.log
    assert [log.change_tuples(p) for p in range(len(log))] == [again.change_tuples(p) for p in range(len(again))]
    assert history.completeness == piped.completeness and not history.complete
    assert history.warnings == piped.warnings and history.notes == piped.notes
