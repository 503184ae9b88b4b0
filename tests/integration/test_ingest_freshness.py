"""An ingest of a checkout that has not changed keeps the stored graph; any change Cairn would read runs it again."""

import contextlib
import os
import sqlite3
from pathlib import Path

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.graph.errors import ConfigError
from cairn.ingest.config import read_config_source
from cairn.ingest.freshness import checkout_state
from fixtures.gitrepo import GitRepo


def shop(root: Path) -> GitRepo:
    repo = GitRepo(root)
    repo.commit({
        "shop/__init__.py": "",
        "shop/core.py": "import json\n",
        "shop/api.py": "from shop import core\n",
        "docs/adr/0001-use-python.md": "# 1. Use Python\n\nStatus: accepted\n\n## Decision\n\nWe use Python.\n",
        "README.md": "# shop\n",
    }, message="initial")
    return repo


def saves(store: Path) -> list[tuple[str, int, str]]:
    with contextlib.closing(sqlite3.connect(store / "cairn.db")) as db:
        return db.execute("SELECT repo, generation, saved_at FROM repositories ORDER BY repo").fetchall()


@pytest.fixture
def ingested(tmp_path):
    repo = shop(tmp_path / "shop")
    store_dir = tmp_path / "store"
    first = ingest_into_store(open_store(str(store_dir)), repo.root)
    assert not first.unchanged
    return repo, store_dir, first


def again(repo: GitRepo, store_dir: Path, **kw):
    return ingest_into_store(open_store(str(store_dir)), repo.root, **kw)


def test_an_unchanged_checkout_keeps_the_stored_graph_and_reports_its_summary(ingested):
    repo, store_dir, first = ingested
    before = saves(store_dir)
    second = again(repo, store_dir)
    assert second.unchanged and saves(store_dir) == before  # nothing written: same generation, same save time
    assert second.summary.notes[0].startswith("up to date")
    kept = {k: v for k, v in vars(second.summary).items() if k not in ("notes", "parsed", "cached", "seconds")}
    assert kept == {k: v for k, v in vars(first.summary).items() if k not in ("notes", "parsed", "cached", "seconds")}
    assert second.summary.notes[1:] == first.summary.notes
    assert (second.summary.parsed, second.summary.cached) == (0, first.summary.parsed + first.summary.cached)
    assert second.graph.nodes == first.graph.nodes and second.graph.edges == first.graph.edges  # loaded on demand


def test_a_changed_tracked_file_staged_or_not_runs_the_ingest(ingested):
    repo, store_dir, _ = ingested
    (repo.root / "shop" / "core.py").write_text("import csv\n")
    changed = again(repo, store_dir)
    assert not changed.unchanged and changed.graph.repository["dirty"] is True
    kept = again(repo, store_dir)  # the same changes, not committed yet: nothing to do again
    assert kept.unchanged and kept.graph.repository["dirty"] is True
    assert "with the same changes not committed yet" in kept.summary.notes[0]
    (repo.root / "shop" / "core.py").write_text("import csv, os\n")
    assert not again(repo, store_dir).unchanged
    assert again(repo, store_dir).unchanged
    repo.git("add", "shop/core.py")  # the same content, now staged: the index changed
    assert not again(repo, store_dir).unchanged
    assert again(repo, store_dir).unchanged
    repo.commit(message="commit it")
    assert not again(repo, store_dir).unchanged  # a new HEAD
    assert again(repo, store_dir).unchanged


@pytest.mark.parametrize("change", ["edit", "delete", "link", "mode", "directory"])
def test_each_change_not_committed_yet_is_in_the_fingerprint(ingested, change):
    repo, store_dir, _ = ingested
    core = repo.root / "shop" / "core.py"
    if change == "edit":
        core.write_text("import os\n")
    elif change == "delete":
        core.unlink()
    elif change == "link":
        core.unlink()
        core.symlink_to("api.py")
    elif change == "mode":
        core.chmod(0o755)
    else:
        core.unlink()
        core.mkdir()
        (core / "inside.py").write_text("")
    first = again(repo, store_dir)
    assert not first.unchanged and first.graph.repository["dirty"] is True
    state = checkout_state(repo.root, read_config_source(repo.root), repo="shop")
    assert state.fingerprint is not None and state.matches_head is False
    assert again(repo, store_dir).unchanged
    repo.git("checkout", "-q", "--", ".") if change != "directory" else (
        (core / "inside.py").unlink(), core.rmdir(), repo.git("checkout", "-q", "--", "."))
    back = again(repo, store_dir)
    assert not back.unchanged and back.graph.repository["dirty"] is False
    assert again(repo, store_dir).unchanged


def test_a_changed_file_keeps_its_fingerprint_while_its_content_stays(ingested):
    repo, store_dir, _ = ingested
    core = repo.root / "shop" / "core.py"
    core.write_text("import os\n")
    config = read_config_source(repo.root)
    before = checkout_state(repo.root, config, repo="shop").fingerprint
    os.utime(core, ns=(1, 1))  # touched: the same bytes
    assert checkout_state(repo.root, config, repo="shop").fingerprint == before
    core.write_text("import re\n")  # same size, other bytes
    os.utime(core, ns=(1, 1))
    assert checkout_state(repo.root, config, repo="shop").fingerprint != before


def test_a_file_git_is_told_not_to_check_counts_as_changed(ingested):
    repo, store_dir, _ = ingested
    repo.git("update-index", "--assume-unchanged", "shop/core.py")
    (repo.root / "shop" / "core.py").write_text("import csv\n")
    assert not again(repo, store_dir).unchanged
    assert checkout_state(repo.root, read_config_source(repo.root), repo="shop").fingerprint is None


@pytest.mark.parametrize("path, text", [
    ("docs/adr/0002-draft.md", "# 2. Draft\n\nStatus: proposed\n"),  # an ADR not committed yet
    ("shop/.gitattributes", "core.py linguist-generated\n"),         # git reads untracked attributes
    ("CODEOWNERS", "* @team\n"),
    ("cairn.toml", "[thresholds]\ninactive_days = 30\n"),
    (".mailmap", "Ada <ada@example.com>\n"),
])
def test_an_untracked_file_cairn_reads_runs_the_ingest(ingested, path, text):
    repo, store_dir, _ = ingested
    (repo.root / path).write_text(text)
    assert not again(repo, store_dir).unchanged
    assert not again(repo, store_dir).unchanged


def test_untracked_files_cairn_does_not_read_do_not_count(ingested):
    repo, store_dir, _ = ingested
    (repo.root / "notes.txt").write_text("scratch\n")
    (repo.root / "shop" / "scratch.py").write_text("import os\n")  # untracked code is not part of the repository
    assert again(repo, store_dir).unchanged


def test_another_configuration_or_name_or_review_runs_the_ingest(ingested, tmp_path):
    repo, store_dir, _ = ingested
    config = tmp_path / "other.toml"
    config.write_text("[thresholds]\ninactive_days = 30\n")
    assert not again(repo, store_dir, config_file=config).unchanged
    assert again(repo, store_dir, config_file=config).unchanged
    assert not again(repo, store_dir).unchanged  # back to the checkout's own (default) configuration
    assert not again(repo, store_dir, repo_name="elsewhere").unchanged
    store = open_store(str(store_dir))
    store.save_reviews("shop", [{"reviewer": "Bo <bo@example.com>", "files": ["shop/api.py"], "pull_request": 1,
                                 "submitted_at": "2024-01-02T00:00:00+00:00"}])
    assert not again(repo, store_dir).unchanged
    assert again(repo, store_dir).unchanged


def test_a_new_branch_name_or_remote_runs_the_ingest(ingested):
    repo, store_dir, _ = ingested
    repo.git("checkout", "-q", "-b", "feature")
    assert not again(repo, store_dir).unchanged  # the branch is stored
    repo.git("remote", "add", "origin", "https://example.com/shop.git")
    graph = again(repo, store_dir).graph
    assert graph.repository["remote"] == "https://example.com/shop.git"
    assert again(repo, store_dir).unchanged


def test_trend_samples_cached_since_run_the_ingest_that_stores_them(ingested):
    from cairn.ingest import freshness, trend_samples

    assert freshness.TREND_SAMPLES_FILE == trend_samples.SAMPLES_FILE
    repo, store_dir, _ = ingested
    (store_dir / "cache" / freshness.TREND_SAMPLES_FILE).write_text('{"format": 0, "entries": {}}')
    assert not again(repo, store_dir).unchanged
    assert again(repo, store_dir).unchanged


def test_no_fingerprint_outside_a_git_checkout_or_without_commits(tmp_path):
    plain = tmp_path / "plain"
    (plain / "pkg").mkdir(parents=True)
    (plain / "pkg" / "a.py").write_text("import os\n")
    store_dir = tmp_path / "store"
    assert not ingest_into_store(open_store(str(store_dir)), plain).unchanged
    assert not ingest_into_store(open_store(str(store_dir)), plain).unchanged
    empty = GitRepo(tmp_path / "empty")
    (empty.root / "a.py").write_text("import os\n")
    assert checkout_state(empty.root, read_config_source(empty.root), repo="empty").fingerprint is None


def test_a_configuration_is_compared_as_written_and_validated_only_when_there_is_work(ingested):
    """The check for changes fingerprints the configuration as written (dates included) without validating it;
    a configuration that became invalid is therefore a change, and the ingest that follows reports it."""
    repo, store_dir, _ = ingested
    repo.commit({"cairn.toml": '[[rules]]\nid = "no-api"\nkind = "forbidden"\nfrom = ["shop"]\nto = ["shop"]\n'
                               '[[rules.exceptions]]\nimporter = "shop.core"\nimported = "shop.api"\nreason = "legacy"\nexpires = 2031-05-01\n'},
                message="config")
    assert not again(repo, store_dir).unchanged
    assert again(repo, store_dir).unchanged  # a TOML date fingerprints like any other value
    repo.commit({"cairn.toml": "[thresholds]\ninactive_dayz = 30\n"}, message="typo")
    with pytest.raises(ConfigError, match="inactive_dayz"):
        again(repo, store_dir)
    with pytest.raises(ConfigError, match="inactive_dayz"):
        again(repo, store_dir)  # never "up to date": the stored graph was built with another configuration


def test_a_tool_cairn_entry_that_is_not_a_table_is_a_configuration_error(tmp_path):
    repo = shop(tmp_path / "shop")
    repo.commit({"pyproject.toml": "[tool]\ncairn = 5\n"}, message="odd")
    with pytest.raises(ConfigError, match=r"\[tool.cairn\] is not a table"):
        read_config_source(repo.root)
