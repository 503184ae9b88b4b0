"""A cold ingest starts ``git log`` before it checks the checkout and parses the code (``spool.spool_history``) and
stores exactly what an ingest that starts it later stores; an ingest that remembers the history starts none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_incremental_parity import assert_same_rows, stored_rows
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


def test_an_ingest_that_cannot_use_the_remembered_history_reads_it_spooled(history, tmp_path, monkeypatch) -> None:
    """The history state is there but of another build of Cairn: the whole log is read again, spooled then (two gits
    for a long history, as on a first ingest, not one git's walk held in its memory), and gives the first ingest's."""
    from cairn.ingest import history_state

    store = open_store(str(tmp_path / "store"))
    ingest_into_store(store, history)
    started: list[str] = []
    replayed: list[str] = []
    start, replay = history_stream.SpooledLog.start.__func__, history_stream.SpooledLog.replay

    def recording(cls, root, head):
        started.append(head)
        return start(cls, root, head)

    def counting(self, parser):
        replayed.append(self.head)
        return replay(self, parser)

    monkeypatch.setattr(history_stream.SpooledLog, "start", classmethod(recording))
    monkeypatch.setattr(history_stream.SpooledLog, "replay", counting)
    monkeypatch.setattr(history_state, "_CODE_DIGEST", "another build")
    repo = GitRepo(history)
    repo.commit({"late.py": "x = 1\n"}, author=("Late Comer", "late@example.com"), message="one more")
    try:
        result = ingest_into_store(store, history)
        assert started == [repo.head()] and replayed == [repo.head()]
        ingest_into_store(open_store(str(tmp_path / "cold")), history)
    finally:
        repo.git("reset", "-q", "--hard", "HEAD~1")
    assert result.summary.commits == 301
    assert any(note.startswith("history read in full: Cairn's history mining changed") for note in result.summary.notes)
    (nodes, edges), (cold_nodes, cold_edges) = stored_rows(tmp_path / "store", "repo"), stored_rows(tmp_path / "cold", "repo")
    for rows in (nodes, cold_nodes):  # the notes say why the history was read again; all else is the first ingest's
        repository = json.loads(rows["Repository|repo"])
        for name in ("history_notes", "ingest_notes", "ingest_summary"):
            repository.pop(name)
        rows["Repository|repo"] = repository
    assert nodes == cold_nodes and edges == cold_edges
    assert without_notes(stored_answers(tmp_path / "store")) == without_notes(stored_answers(tmp_path / "cold"))


def without_notes(answers: dict[str, str]) -> dict[str, object]:
    """The stored answers, decoded, without the notes they repeat from the ingest (why it read the history)."""
    def dropped(value: object) -> object:
        if isinstance(value, dict):
            return {key: dropped(item) for key, item in value.items() if key != "notes"}
        return [dropped(item) for item in value] if isinstance(value, list) else value

    return {name: dropped(json.loads(text)) if text else text for name, text in answers.items()}


def test_the_logs_git_keeps_large_packs_mapped_in_bounded_windows_and_reads_the_same(history, tmp_path, monkeypatch) -> None:
    """Every ``git log`` of the history runs with ``PACK_WINDOWS`` when the packs exceed ``PACK_LIMIT_BYTES`` (else
    the pages of the packs it read stay in its resident size: 880 MB at 50k files), and with git's defaults when they
    do not (windows over a pack git never unmaps overlap: 32 MB more at 10k files); how much of the pack is mapped at
    once changes nothing of what it reads."""
    commands: list[tuple[str, ...]] = []
    started = history_stream.GitProcess

    def recorded(root, *args, **kwargs):
        commands.append(args)
        return started(root, *args, **kwargs)

    def logs() -> list[str]:
        found = [" ".join(args) for args in commands if "log" in args]
        commands.clear()
        return found

    windows = " ".join(history_stream.PACK_WINDOWS)
    monkeypatch.setattr(history_stream, "GitProcess", recorded)
    with monkeypatch.context() as small:
        small.setattr(history_stream, "PACK_LIMIT_BYTES", -1)  # (the fixture's objects may all be loose)
        ingest_into_store(open_store(str(tmp_path / "bounded")), history)
    bounded = logs()
    assert bounded and all(windows in args for args in bounded)
    ingest_into_store(open_store(str(tmp_path / "whole")), history)
    whole = logs()
    assert whole and not any("core.packedGit" in args for args in whole)
    # windows of a page, at most two mapped: git maps and unmaps the pack all the time
    monkeypatch.setattr(history_stream, "PACK_WINDOWS", ("-c", "core.packedGitLimit=8k", "-c", "core.packedGitWindowSize=4k"))
    monkeypatch.setattr(history_stream, "PACK_LIMIT_BYTES", -1)
    ingest_into_store(open_store(str(tmp_path / "tiny")), history)
    assert all("core.packedGitWindowSize=4k" in args for args in logs())
    for other in ("whole", "tiny"):
        assert_same_rows(tmp_path / "bounded", tmp_path / other, "repo")
        assert stored_answers(tmp_path / "bounded") == stored_answers(tmp_path / other)


def test_the_packs_of_a_borrowed_or_unusual_object_store_are_bounded_as_if_large(tmp_path, monkeypatch) -> None:
    """Only a ``.git`` directory's own packs are measured: objects borrowed through ``alternates`` (a ``--shared``
    clone) or a ``.git`` file (a linked worktree) are not looked into, and git gets the bounded windows."""
    repo = GitRepo(tmp_path / "r")
    repo.commit({"a.py": "x = 1\n"}, message="one")
    repo.git("gc", "-q")
    packs = sum(p.stat().st_size for p in (repo.root / ".git" / "objects" / "pack").glob("*.pack"))
    assert packs > 0 and history_stream.pack_windows(repo.root) == ()
    monkeypatch.setattr(history_stream, "PACK_LIMIT_BYTES", packs - 1)
    assert history_stream.pack_windows(repo.root) == history_stream.PACK_WINDOWS
    monkeypatch.setattr(history_stream, "PACK_LIMIT_BYTES", packs)
    assert history_stream.pack_windows(repo.root) == ()
    alternates = repo.root / ".git" / "objects" / "info" / "alternates"
    alternates.write_text(str(tmp_path / "elsewhere") + "\n")
    assert history_stream.pack_windows(repo.root) == history_stream.PACK_WINDOWS
    alternates.unlink()
    assert history_stream.pack_windows(tmp_path / "not-a-repository") == history_stream.PACK_WINDOWS
