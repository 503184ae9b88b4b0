"""One new commit whose only parent is the remembered one is read as ``git log -1 HEAD``, not as the range.

Git walks ``since..HEAD`` until nothing in its queue is newer than what it excludes, so a commit dated before its
parent had it walk the whole history for one commit. The shortcut must give what the range gives (the same graph and
answers as a cold ingest), and under ``CAIRN_VERIFY_SKIPS`` (the tests set it) a wrong claim that the range is HEAD
alone must fail.
"""
from __future__ import annotations

import pytest

import cairn.ingest.history as history_module
import cairn.ingest.history_stream as stream
from fixtures.history_evolution import BOB, CAROL, body, grow, when
from test_incremental_history import assert_same_as_cold, how_read


@pytest.fixture
def reads(monkeypatch):
    """The revisions of every ``git log`` the history reads (what follows ``--format``)."""
    seen: list[list[str]] = []
    run = stream._run

    def recorded(root, args, parser, stdin=None):
        at = next(i for i, a in enumerate(args) if a.startswith("--format="))
        seen.append(args[at + 1:])
        return run(root, args, parser, stdin)

    monkeypatch.setattr(stream, "_run", recorded)
    return seen


def test_one_commit_dated_before_its_parent_is_read_alone_and_gives_the_cold_graph(grown, tmp_path, reads):
    repo, store = grown
    grow(repo)
    assert_same_as_cold(repo.root, store, tmp_path)
    reads.clear()
    head = repo.commit({"core/b2.py": body("b", 40)}, author=CAROL, date=when(1, 2), message="a skewed clock")
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert result.summary.commits == int(repo.git("rev-list", "--count", "HEAD"))
    assert ["-1", head, "--"] in reads  # the warm ingest: HEAD alone, not the range


def test_two_new_commits_are_read_as_the_range(grown, tmp_path, reads):
    repo, store = grown
    since = repo.head()
    repo.commit({"core/b2.py": body("b", 41)}, author=BOB, date=when(9, 1), message="one")
    head = repo.commit({"core/b2.py": body("b", 42)}, author=CAROL, date=when(9, 2), message="two")
    assert_same_as_cold(repo.root, store, tmp_path)
    assert [f"{since}..{head}", "--"] in reads
    assert not any(r[:1] == ["-1"] for r in reads)


def test_a_wrong_claim_that_the_range_is_head_alone_fails_under_verification(grown, monkeypatch):
    repo, store = grown
    since = repo.head()
    repo.commit({"core/b2.py": body("b", 43)}, author=BOB, date=when(9, 1), message="one")
    repo.commit({"core/b2.py": body("b", 44)}, author=CAROL, date=when(9, 2), message="two")
    real = history_module.head_of
    monkeypatch.setattr(history_module, "head_of", lambda root, where: (*real(root, where)[:2], [since]))
    with pytest.raises(AssertionError, match="not .* alone"):
        how_read(repo.root, store)
