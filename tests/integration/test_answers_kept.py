"""How answers are kept after a commit: only those whose substance changed are written, and none outlives its graph.

Real repositories (tests/gitrepo.py) are ingested into a real embedded store,
commit after commit; the stored rows of ``answers`` are read with sqlite3. A
row's ``generation`` is the version of the graph it was written for: a row
left alone keeps an earlier one.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from cairn.api.services import answer_people, answers, reads
from cairn.api.services.ingesting import ingest_into_store
from cairn.api.services.workspace import Workspace
from cairn.graph.errors import UnknownName
from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.values import dumps, loads
from fixtures.gitrepo import GitRepo

ADA, BOB = ("Ada Lovelace", "ada@example.com"), ("Bob Builder", "bob@example.com")


def kept_rows(store_dir: Path, repo: str) -> dict[str, tuple[int, str]]:
    """Every answer row of ``repo``: name -> (generation written for, value text)."""
    with contextlib.closing(sqlite3.connect(store_dir / "cairn.db")) as db:
        return {name: (generation, value) for name, generation, value in db.execute(
            "SELECT a.name, a.generation, a.value FROM answers a JOIN repositories r ON r.rid = a.rid WHERE r.repo = ?",
            (repo,))}


def build_two_components(root: Path) -> GitRepo:
    repo = GitRepo(root)
    repo.commit({
        "cairn.toml": '[components]\nalpha = ["src/alpha/**"]\nbeta = ["src/beta/**"]\n',
        "src/alpha/__init__.py": "", "src/alpha/one.py": "import json\n", "src/alpha/two.py": "from alpha import one\n",
        "src/beta/__init__.py": "", "src/beta/three.py": "from alpha import two\n",
    }, author=ADA, message="alpha and beta")
    repo.commit({"src/beta/three.py": "from alpha import two\nimport os\n", "src/beta/four.py": "x = 4\n",
                 "src/alpha/five.py": "y = 5\n"}, author=BOB, message="beta grows, and alpha")
    repo.commit({"src/alpha/one.py": "import json\nimport re\n"}, author=ADA, message="alpha again")
    return repo


@pytest.fixture
def two(tmp_path) -> tuple[GitRepo, Path, SqliteStore]:
    """``build_two_components`` ingested into a fresh embedded store: the repository, the store's directory, the store."""
    repo = build_two_components(tmp_path / "two")
    store_dir = tmp_path / "store"
    store = SqliteStore(store_dir)
    ingest_into_store(store, repo.root)
    return repo, store_dir, store


def assert_reads_as_computed(store: SqliteStore, repo: str) -> None:
    computed = answers.compute_answers(store.load(repo))
    for name, value in computed.items():
        assert dumps(answers.read_answer(store, repo, name)) == dumps(loads(dumps(value))), name


def test_a_commit_rewrites_only_the_answers_whose_substance_changed(two):
    repo, store_dir, store = two
    before = kept_rows(store_dir, "two")
    # Bob, a holder of both components, commits again (his last activity and commit count move), in beta only
    repo.commit({"src/beta/four.py": "x = 44\n"}, author=BOB, message="beta only")
    ingest_into_store(store, repo.root)
    after = kept_rows(store_dir, "two")
    assert after.keys() == before.keys()
    changed = {name for name in after if after[name] != before[name]}
    directory = answers.stored_name(answer_people.DIRECTORY)
    alpha = answers.stored_name(answers.card_answer("alpha"))
    # alpha's card names Bob but nothing about alpha changed: its row was left alone, and read with Bob's new activity
    assert '"' + answer_people.MARKER.replace("\x00", "\\u0000") + '"' in after[alpha][1]
    assert directory in changed and alpha not in changed and answers.stored_name(answers.PEOPLE) not in changed
    assert after[alpha][0] < after[directory][0]
    card = reads.component_card(Workspace(store, naming_hint=""), "two", "alpha")
    bob = next(h for h in card["bus_factor"]["knowledge_holders"] if h["id"] == BOB[1])
    assert bob["last_active"] == "2024-01-01T00:00:04+00:00"
    assert_reads_as_computed(store, "two")


def test_an_answer_gone_from_the_graph_is_never_read_after_the_next_ingest(two):
    repo, store_dir, store = two
    beta = answers.stored_name(answers.card_answer("beta"))
    assert beta in kept_rows(store_dir, "two")
    repo.commit({"cairn.toml": '[components]\nalpha = ["src/alpha/**"]\n'}, delete=["src/beta/three.py", "src/beta/four.py",
                "src/beta/__init__.py"], author=ADA, message="beta goes")
    ingest_into_store(store, repo.root)
    assert beta not in kept_rows(store_dir, "two")
    with pytest.raises(UnknownName):
        reads.component_card(Workspace(SqliteStore(store_dir), naming_hint=""), "two", "beta")
    assert_reads_as_computed(store, "two")


def test_a_save_without_answers_leaves_none_readable_though_their_rows_stay(two):
    repo, store_dir, store = two
    rows = kept_rows(store_dir, "two")
    store.save(store.load("two"))  # a new version of the graph, no answers computed for it
    assert kept_rows(store_dir, "two") == rows  # nothing deleted, nothing rewritten...
    for name in answers.compute_answers(store.load("two")):
        assert answers.read_answer(store, "two", name) is None, name  # ...and nothing readable
    # the next answers are compared with the rows left: the same text is not written again
    answers.store_answers(store, store.load("two"))
    again = kept_rows(store_dir, "two")
    assert {name for name in again if again[name] != rows[name]} == {""}  # only the row naming the version moved on
    assert_reads_as_computed(store, "two")


def test_answers_of_an_earlier_format_are_deleted_by_the_next_ingest(tmp_path, monkeypatch):
    repo = build_two_components(tmp_path / "two")
    store_dir = tmp_path / "store"
    monkeypatch.setattr(answers, "ANSWERS_FORMAT", answers.ANSWERS_FORMAT - 1)
    ingest_into_store(SqliteStore(store_dir), repo.root)
    monkeypatch.undo()
    old = {name for name in kept_rows(store_dir, "two") if name}
    assert old and all(name.startswith(f"a{answers.ANSWERS_FORMAT - 1}/") for name in old)
    assert answers.read_answer(SqliteStore(store_dir), "two", answers.COMPONENTS) is None
    repo.commit({"src/alpha/two.py": "from alpha import one\nimport os\n"}, author=ADA, message="later")
    store = SqliteStore(store_dir)
    ingest_into_store(store, repo.root)
    assert not old & kept_rows(store_dir, "two").keys()
    assert_reads_as_computed(store, "two")
