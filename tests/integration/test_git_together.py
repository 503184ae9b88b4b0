"""``git_together``: several git commands at once, each answer in its place, none checked; and the check for changes
that runs its questions through it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cairn.ingest.config import ConfigSource
from cairn.ingest.freshness import checkout_state
from cairn.ingest.git import GitError, GitTogether, git_together
from cairn.ingest.worktree import worktree_changes
from fixtures.gitrepo import GitRepo


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit({"a.py": "a = 1\n", "b/c.py": "c = 2\n"}, message="first")
    return repo


def test_each_answer_comes_back_in_the_order_asked_with_its_own_exit_status(repo):
    many = [("ls-files", "-z", "b")] * 3
    head, missing, *listed = git_together(repo.root, ("rev-parse", "HEAD"), ("rev-parse", "--verify", "-q", "nope"), *many)
    assert head.returncode == 0 and head.stdout.decode().strip() == repo.git("rev-parse", "HEAD")
    assert missing.returncode != 0 and missing.stdout == b""
    assert [p.stdout for p in listed] == [b"b/c.py\0"] * 3


def test_a_large_answer_is_read_whole_while_the_others_wait(repo):
    repo.commit({f"d/{'long-name-' * 4}{i:05}.py": "" for i in range(3000)})  # ls-files: 150 KB, more than a pipe holds
    small, big = git_together(repo.root, ("rev-parse", "HEAD"), ("ls-files", "-z"))
    assert big.stdout.count(b"\0") == 3002 and len(big.stdout) > 1 << 17 and small.returncode == 0


def test_no_git_is_a_git_error(repo, monkeypatch):
    monkeypatch.setenv("PATH", str(repo.root / "nowhere"))
    with pytest.raises(GitError, match="not installed"):
        git_together(repo.root, ("rev-parse", "HEAD"))
    assert checkout_state(repo.root, ConfigSource(), repo="r").unknown == "not a git repository with a commit checked out"


def test_the_check_for_changes_sees_what_each_question_answered(repo):
    clean = checkout_state(repo.root, ConfigSource(), repo="r")
    assert clean.fingerprint and clean.matches_head and clean.head == repo.git("rev-parse", "HEAD")
    assert clean.branch == "main"
    (repo.root / "a.py").write_text("a = 3\n")
    assert worktree_changes(repo.root, set()).paths == ("a.py",)
    dirty = checkout_state(repo.root, ConfigSource(), repo="r")
    assert dirty.matches_head is False and dirty.fingerprint != clean.fingerprint
    repo.git("add", "a.py")
    staged = checkout_state(repo.root, ConfigSource(), repo="r")
    assert staged.matches_head is False and staged.facts["changes"]["files"].keys() == {"a.py"}
    repo.git("update-index", "--skip-worktree", "b/c.py")
    assert checkout_state(repo.root, ConfigSource(), repo="r").unknown == "git marks some files to be skipped or left unchecked"


def test_the_questions_asked_ahead_are_answered_as_the_check_would_ask_them(repo):
    from cairn.ingest.freshness import CheckoutQuestions

    asked = CheckoutQuestions.ask(repo.root)
    ahead = checkout_state(repo.root, ConfigSource(), repo="r", asked=asked)
    assert ahead.fingerprint and ahead.fingerprint == checkout_state(repo.root, ConfigSource(), repo="r").fingerprint
    with pytest.raises(GitError):  # answered once: a second check asks again
        asked.answers()
    (repo.root / "a.py").write_text("a = 4\n")
    asked = CheckoutQuestions.ask(repo.root)
    assert checkout_state(repo.root, ConfigSource(), repo="r", asked=asked).fingerprint not in (None, ahead.fingerprint)


def test_questions_asked_of_another_checkout_are_not_its_answers(repo, tmp_path):
    from cairn.ingest.freshness import CheckoutQuestions

    other = GitRepo(tmp_path / "other")
    other.commit({"z.py": "z = 0\n"}, message="other")
    state = checkout_state(repo.root, ConfigSource(), repo="r", asked=CheckoutQuestions.ask(other.root))
    assert state.head == repo.git("rev-parse", "HEAD") != other.git("rev-parse", "HEAD")


def test_commands_started_together_and_cancelled_are_ended(repo):
    together = GitTogether.start(repo.root, ("ls-files", "-z"), ("rev-parse", "HEAD"))
    started = list(together._started)
    together.cancel()
    assert all(proc.returncode is not None for proc in started)
    assert together.results() == []


def test_the_replacement_refs_are_read_with_the_top_level_and_head(repo):
    """One ``rev-parse`` names HEAD, its branch and each replacement ref with its object, as ``for-each-ref`` lists them."""
    first = repo.git("rev-parse", "HEAD")
    repo.commit({"a.py": "a = 2\n"}, message="second")
    repo.commit({"a.py": "a = 3\n"}, message="third")
    plain = checkout_state(repo.root, ConfigSource(), repo="r")
    assert plain.facts["replaced"] == [] and plain.branch == "main" and plain.head == repo.git("rev-parse", "HEAD")
    repo.git("replace", "HEAD~1", first)
    repo.git("replace", "-f", "HEAD", first)
    replaced = checkout_state(repo.root, ConfigSource(), repo="r")
    listed = repo.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/replace/").splitlines()
    assert len(listed) == 2 and replaced.facts["replaced"] == listed
    assert replaced.head == plain.head and replaced.branch == "main" and replaced.fingerprint != plain.fingerprint


def test_the_check_lists_every_tracked_path_and_sees_one_git_looks_away_from(repo):
    """The listing is read at once (no loop over its entries): names that look like its tags are paths like any other,
    and one entry with another tag than H (here assume-unchanged) is enough for the check to give up."""
    repo.commit({"H x.py": "", "d/H /H .py": "", "d/with space.py": "", "é/ü.py": ""}, message="odd names")
    state = checkout_state(repo.root, ConfigSource(), repo="r")
    assert state.tracked == set(repo.git("-c", "core.quotepath=off", "ls-files").splitlines()) and len(state.tracked) == 6
    repo.git("update-index", "--assume-unchanged", "d/H /H .py")
    assert checkout_state(repo.root, ConfigSource(), repo="r").unknown == "git marks some files to be skipped or left unchecked"


def test_a_filter_driver_that_cannot_be_blanked_leaves_the_work_tree_unread(repo):
    """The configuration is asked beside the other questions, and diff-files only once it answered: a filter driver
    whose name cannot be blanked on a command line means diff-files is never run, and the check cannot tell."""
    assert checkout_state(repo.root, ConfigSource(), repo="r").fingerprint is not None
    repo.git("config", "filter.a:b.clean", "false")
    state = checkout_state(repo.root, ConfigSource(), repo="r")
    assert state.unknown == "cannot tell whether the files match HEAD" and state.fingerprint is None


def test_git_is_started_by_its_path_as_a_bare_name_would_find_it(repo, tmp_path, monkeypatch):
    """``executable``: the first executable ``git`` on PATH, as starting the bare name finds it (a file without the
    execute bit is passed over), looked up once per PATH; a relative directory leaves the search to the start."""
    from cairn.ingest.git import executable

    real = executable()
    assert Path(real).is_absolute() and git_together(repo.root, ("rev-parse", "HEAD"))[0].returncode == 0
    shadowed, wrapper = tmp_path / "shadowed", tmp_path / "wrapper"
    for directory in (shadowed, wrapper):
        directory.mkdir()
    (shadowed / "git").write_text("#!/bin/sh\nexit 3\n")  # not executable: skipped, as exec skips it
    (wrapper / "git").write_text(f'#!/bin/sh\necho wrapped >&2\nexec "{real}" "$@"\n')
    (wrapper / "git").chmod(0o755)
    monkeypatch.setenv("PATH", os.pathsep.join([str(shadowed), str(wrapper), str(Path(real).parent)]))
    assert executable() == str(wrapper / "git")
    head = git_together(repo.root, ("rev-parse", "HEAD"))[0]
    assert head.returncode == 0 and head.stderr == b"wrapped\n"
    monkeypatch.setenv("PATH", os.pathsep.join(["relative", str(wrapper)]))
    assert executable() == "git"
