"""After a commit, the bus factor takes a component's entry from the report kept for the stored graph when none of
its inputs changed (``ownership.KeptReport``): its files, their KNOWS edges, and its holders' rows (rank, gone, kind,
name). To see what was taken, the kept report is altered in the store before the next ingest (a "plant", as in
test_answers_incremental): an entry taken carries it over, one computed does not. The plants are made with
``CAIRN_VERIFY_SKIPS`` off; with it on (as every other test runs) a planted entry taken is refused. The repository's
entry is taken the same way when, besides, every file that may have changed was counted as it is now, with the same
authors and holders (read from the store: ``KeptReport.stored``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cairn.api.services import answers
from cairn.api.services.ingesting import ingest_into_store
from cairn.graph.sqlite_store import SqliteStore
from cairn.queries.ownership import KeptReport, annotate_bus_factor, bus_factor_answers
from fixtures.stored_answers import assert_answers_as_cold
from test_answers_incremental import ADA, BOB, CAT, plant


def planted_everywhere(value: dict[str, Any]) -> None:
    for entry in value["components"]:
        entry["truck_factor_people"] = ["planted"]


def planted(store_dir: Path, repo: str) -> set[str]:
    """The components whose entry in the kept report carries the plant."""
    report = answers.read_answer(SqliteStore(store_dir), repo, answers.BUS_FACTOR)
    return {c["name"] for c in report["components"] if c["truck_factor_people"] == ["planted"]}


def entry(store_dir: Path, repo: str, component: str) -> dict[str, Any]:
    report = answers.read_answer(SqliteStore(store_dir), repo, answers.BUS_FACTOR)
    return next(c for c in report["components"] if c["name"] == component)


def assert_verified_as_cold(repo: Any, warm: Path, cold: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingest the checkout into the warm store under ``CAIRN_VERIFY_SKIPS=1`` and into a fresh cold one: what is
    taken is what a cold ingest keeps."""
    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    ingest_into_store(SqliteStore(warm), repo.root)
    ingest_into_store(SqliteStore(cold), repo.root)
    assert_answers_as_cold(warm, cold, repo.root.name)


def test_the_components_a_commit_does_not_reach_are_taken(shop, tmp_path, monkeypatch):
    repo, warm, name = shop
    assert planted(warm, name) == set()
    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "0")

    # Cat's commit in web: web computed; api and core (Cat holds none of their files) taken
    plant(warm, name, {answers.BUS_FACTOR: planted_everywhere})
    repo.commit({"shop/web/style.py": "import re\n\nX = 1\n"}, author=CAT)
    ingest_into_store(SqliteStore(warm), repo.root)
    assert planted(warm, name) == {"api", "core"}

    # Bob's commit in web: his commits pass Ada's, and both hold api's files: they change places in the order ties
    # are broken by, so api is computed too, core alone taken
    plant(warm, name, {answers.BUS_FACTOR: planted_everywhere})
    repo.commit({"shop/web/style.py": "import re\n\nX = 2\n"}, author=BOB)
    ingest_into_store(SqliteStore(warm), repo.root)
    assert planted(warm, name) == {"core"}

    # Bob again: he stays ahead of Ada, api is taken, with his last activity now in its holders
    plant(warm, name, {answers.BUS_FACTOR: planted_everywhere})
    repo.commit({"shop/web/style.py": "import re\n\nX = 3\n"}, author=BOB)
    ingest_into_store(SqliteStore(warm), repo.root)
    assert planted(warm, name) == {"api", "core"}
    ingest_into_store(SqliteStore(tmp_path / "cold-api"), repo.root)
    api = [entry(d, name, "api") for d in (warm, tmp_path / "cold-api")]
    assert api[0]["truck_factor_people"] == ["planted"] and {**api[0], "truck_factor_people": None} == {
        **api[1], "truck_factor_people": None}

    # two years on, Ada's commit in core makes Bob and Cat inactive: api and web, untouched, are computed
    plant(warm, name, {answers.BUS_FACTOR: planted_everywhere})
    repo.commit({"shop/core/prices.py": "import decimal\n\nRATE = 3\n"}, author=ADA, date="2026-03-01T00:00:00+00:00")
    ingest_into_store(SqliteStore(warm), repo.root)
    assert planted(warm, name) == set()

    # without a plant, what is taken is what a cold ingest keeps
    repo.commit({"shop/api/views.py": "from shop.core import prices\nimport json\n\nY = 1\n"}, author=BOB,
                date="2026-03-02T00:00:00+00:00")
    assert_verified_as_cold(repo, warm, tmp_path / "cold", monkeypatch)


def test_a_wrong_entry_taken_is_refused_when_verifying(shop):
    repo, warm, name = shop
    plant(warm, name, {answers.BUS_FACTOR: planted_everywhere})
    repo.commit({"shop/web/style.py": "import re\n\nX = 1\n"}, author=CAT)
    with pytest.raises(AssertionError, match="bus factor"):
        ingest_into_store(SqliteStore(warm), repo.root)


def planted_in_repository(value: dict[str, Any]) -> None:
    value["repository"]["truck_factor_people"] = ["planted"]


def repository_planted(store_dir: Path, repo: str) -> bool:
    report = answers.read_answer(SqliteStore(store_dir), repo, answers.BUS_FACTOR)
    return report["repository"]["truck_factor_people"] == ["planted"]


def test_the_repository_entry_is_taken_while_no_file_changes_hands(shop, tmp_path, monkeypatch):
    repo, warm, name = shop
    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "0")

    # Cat's first commit to her own file puts her ahead of Ada and Bob in commits, the order ties are broken by:
    # computed
    plant(warm, name, {answers.BUS_FACTOR: planted_in_repository})
    repo.commit({"shop/web/style.py": "import re\n\nX = 0\n"}, author=CAT)
    ingest_into_store(SqliteStore(warm), repo.root)
    assert not repository_planted(warm, name)

    # her next one: the file is still hers alone, every other file as it was, she stays ahead: taken
    plant(warm, name, {answers.BUS_FACTOR: planted_in_repository})
    repo.commit({"shop/web/style.py": "import re\n\nX = 1\n"}, author=CAT)
    ingest_into_store(SqliteStore(warm), repo.root)
    assert repository_planted(warm, name)

    # her commits to Ada's file make her one of its authors (she stays ahead): computed
    assert "Cat Stevens" not in {h["person"] for h in entry(warm, name, "core")["knowledge_holders"]}
    plant(warm, name, {answers.BUS_FACTOR: planted_in_repository})
    for rate in range(4):
        repo.commit({"shop/core/prices.py": f"import decimal\n\nRATE = {rate}\n"}, author=CAT)
    ingest_into_store(SqliteStore(warm), repo.root)
    assert not repository_planted(warm, name)
    core = entry(warm, name, "core")
    assert {h["person"] for h in core["knowledge_holders"]} >= {"Ada Lovelace", "Cat Stevens"}

    # a file added, whoever writes it, is one more counted: computed
    plant(warm, name, {answers.BUS_FACTOR: planted_in_repository})
    repo.commit({"shop/core/rounding.py": "ROUND = 2\n"}, author=ADA)
    ingest_into_store(SqliteStore(warm), repo.root)
    assert not repository_planted(warm, name)

    # without a plant, what is taken is what a cold ingest keeps
    repo.commit({"shop/web/style.py": "import re\n\nX = 4\n"}, author=CAT)
    assert_verified_as_cold(repo, warm, tmp_path / "cold", monkeypatch)


def test_a_wrong_repository_entry_taken_is_refused_when_verifying(shop):
    repo, warm, name = shop
    repo.commit({"shop/web/style.py": "import re\n\nX = 0\n"}, author=CAT)
    ingest_into_store(SqliteStore(warm), repo.root)
    plant(warm, name, {answers.BUS_FACTOR: planted_in_repository})
    repo.commit({"shop/web/style.py": "import re\n\nX = 1\n"}, author=CAT)
    with pytest.raises(AssertionError, match="bus factor"):
        ingest_into_store(SqliteStore(warm), repo.root)


def test_the_repository_entry_is_taken_only_for_the_same_counted_files_and_authors(shop, monkeypatch):
    _, warm, name = shop
    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "0")
    graph = SqliteStore(warm).load(name)
    report = bus_factor_answers(graph)[0]
    planted_in_repository(report)
    ada, cat = "Person|shop|ada@example.com", "Person|shop|cat@example.com"

    def taken(stored: dict[str, Any]) -> bool:
        kept = KeptReport(report, frozenset({"shop/core/prices.py"}), stored)
        return annotate_bus_factor(graph, None, kept)[0]["repository"]["truck_factor_people"] == ["planted"]

    assert taken({"shop/core/prices.py": (True, [ada], {ada})})  # as stored
    assert not taken({"shop/core/prices.py": (True, [cat], {cat})})  # another author
    assert not taken({"shop/core/prices.py": (True, [ada], {ada, cat})})  # another holder
    # not counted there, or not there at all: another file was (as many counted: one the commit removed)
    assert not taken({"shop/core/prices.py": (False, [ada], {ada})})
    assert not taken({})  # (``stored`` names none of ``changed_files``)
