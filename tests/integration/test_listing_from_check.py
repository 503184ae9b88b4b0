"""The files' listing asks git only what the check for changes did not: the tracked files the check listed stand for a
second ``ls-files`` (``files.list_files(tracked=…)``), and the ``.gitattributes`` Cairn reads come from one
``check-attr --all`` that names only the attributes a path has, the same as naming the five each time
(``CAIRN_VERIFY_SKIPS=1`` asks git both ways and compares)."""

from __future__ import annotations

import dataclasses

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.graph import forked
from cairn.graph.model import Label
from cairn.ingest import files
from cairn.ingest.config import read_config_source
from cairn.ingest.files import ATTRIBUTES_ASKED, Listing, list_files
from cairn.ingest.freshness import checkout_state
from cairn.ingest.listed_beside import ListedBeside
from fixtures.gitrepo import GitRepo

ATTRIBUTES = (
    "* text=auto\n"
    "[attr]theirs linguist-vendored\n"
    "lib/** theirs\n"
    "lib/keep.py -linguist-vendored linguist-documentation=false filter=lfs\n"
    "gen/** linguist-generated=true\n"
    "gen/made.py !linguist-generated linguist-detectable\n"
    "*.bin binary filter\n"
    "queries/*.scm linguist-language=Tree-sitter-Query\n"
)


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.commit({
        ".gitattributes": ATTRIBUTES, "app/main.py": "import os\n", "lib/x.py": "", "lib/keep.py": "",
        "gen/out.py": "", "gen/made.py": "", "data.bin": "x", "docs/.gitattributes": "*.md linguist-documentation\n",
        "docs/readme.md": "# hi\n", "queries/highlights.scm": "(identifier) @variable\n",
    }, message="init")
    return repo


def _fields(listing: Listing) -> dict[str, object]:
    return {f.name: (lambda v: list(v.items()) if isinstance(v, dict) else v)(getattr(listing, f.name))
            for f in dataclasses.fields(listing)}


def test_the_attributes_git_says_at_once_are_the_ones_asked_by_name(repo) -> None:
    root = repo.root.resolve()
    paths = files._git_paths(root)
    said = files._attributes_said(root, paths, ("--all",))
    assert said == files._attributes_said(root, paths, ATTRIBUTES_ASKED)
    assert files._git_attributes(root, paths) == ({
        "lib/keep.py": {"linguist-vendored": False, "linguist-documentation": False},
        "lib/x.py": {"linguist-vendored": True},
        "gen/out.py": {"linguist-generated": True},
        "gen/made.py": {"linguist-detectable": True},
        "docs/readme.md": {"linguist-documentation": True},
    }, {"lfs"}, {"queries/highlights.scm": "Tree-sitter-Query"})


def test_a_wrong_answer_of_the_attributes_at_once_is_caught_when_verifying(repo, monkeypatch) -> None:
    root = repo.root.resolve()
    paths = files._git_paths(root)
    right = files._git_attributes(root, paths)
    asked = files._attributes_said

    def forgetful(root, paths, which):
        said = asked(root, paths, which)
        return [t for t in said if t[0] != "lib/x.py"] if which == ("--all",) else said

    monkeypatch.setattr(files, "_attributes_said", forgetful)
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS", raising=False)
    assert files._git_attributes(root, paths) != right  # the answer at once is the one taken
    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    with pytest.raises(AssertionError, match="check-attr --all"):
        files._git_attributes(root, paths)


def test_the_tracked_files_the_check_listed_stand_for_asking_git_again(repo) -> None:
    root = repo.root.resolve()
    (root / "untracked.py").write_text("x = 1\n")
    state = checkout_state(root, read_config_source(root), repo="r")
    assert state.tracked == set(files._git_paths(root))
    assert _fields(list_files(root, tracked=state.tracked)) == _fields(list_files(root))


def test_tracked_files_given_are_taken_and_checked_when_verifying(repo, monkeypatch) -> None:
    root = repo.root.resolve()
    tracked = set(files._git_paths(root)) - {"app/main.py"}
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS", raising=False)
    assert "app/main.py" not in list_files(root, tracked=tracked).all_paths  # taken as given: git was not asked
    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    assert _fields(list_files(root, tracked=tracked | {"app/main.py"})) == _fields(list_files(root))
    with pytest.raises(AssertionError, match="tracked files given"):
        list_files(root, tracked=tracked)


def test_a_commit_that_changes_gitattributes_changes_the_files_kept(repo, tmp_path) -> None:
    store = open_store(str(tmp_path / "store"))
    ingest_into_store(store, repo.root, repo_name="r")
    assert store.load("r").node(Label.FILE, "app/main.py") is not None
    repo.commit({"app/.gitattributes": "main.py linguist-vendored\n"}, message="vendored")
    ingest_into_store(store, repo.root, repo_name="r")
    after = store.load("r")
    assert after.node(Label.FILE, "app/main.py") is None
    cold = open_store(str(tmp_path / "cold"))
    ingest_into_store(cold, repo.root, repo_name="r")
    assert sorted(n.id for n in cold.load("r").of_label(Label.FILE)) == sorted(n.id for n in after.of_label(Label.FILE))


@pytest.mark.skipif(not forked.ENABLED, reason="forking is Linux-only")
def test_the_child_lists_with_the_tracked_files_it_is_given(repo, monkeypatch) -> None:
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS", raising=False)
    root = repo.root.resolve()
    tracked = set(files._git_paths(root))
    beside = ListedBeside(root, [], 100_000, "r", tracked - {"app/main.py"}).start()
    beside._compute = lambda: pytest.fail("listed in process")
    got = beside.listing(root, [], 100_000)
    beside.cancel()
    assert "app/main.py" not in got.all_paths  # the files given, not git's
    assert _fields(ListedBeside(root, [], 100_000, "r", tracked).start().listing(root, [], 100_000)) \
        == _fields(list_files(root, max_file_bytes=100_000))
