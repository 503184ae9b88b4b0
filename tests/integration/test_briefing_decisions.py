"""A briefing's decisions about the paths asked first: the one whose text names the directory being changed leads,
with ``near`` saying which, and stays when ``limit`` cuts the list.

A real repository: one ``storage`` component with three backends and three decisions governing it, each naming a
different backend's folder (a path, a relative link, a dotted module). By date the Cassandra one is the newest and
the Elasticsearch one the oldest, so an agent about to change ``storage/es/reader.py`` was shown Elasticsearch's last,
and not at all with ``limit=1``.
"""

from __future__ import annotations

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.graph.model import Label
from cairn.queries.briefing import briefing
from fixtures.gitrepo import GitRepo

CASSANDRA = "docs/adr/0001-cassandra-schema.md"
BADGER = "docs/adr/0002-badger-layout.md"
ELASTIC = "docs/adr/0003-elasticsearch-client.md"
OLD_ELASTIC = "docs/adr/0000-elasticsearch-per-version.md"


def _record(number: int, title: str, date: str, body: str) -> str:
    return f"# {number}. {title}\n\nDate: {date}\n\n## Status\n\nAccepted\n\n## Decision\n\n{body}\n"


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    root = tmp_path_factory.mktemp("briefing")
    repo = GitRepo(root / "r")
    repo.commit({
        "cairn.toml": '[components]\nstorage = ["storage/**"]\napp = ["app/**"]\n',
        "storage/__init__.py": "",
        "storage/es/__init__.py": "", "storage/es/reader.py": "def read():\n    return 1\n",
        "storage/es/index.py": "from storage.badger.db import open_db\n",
        "storage/cassandra/__init__.py": "", "storage/cassandra/writer.py": "def write():\n    return 2\n",
        "storage/badger/__init__.py": "", "storage/badger/db.py": "def open_db():\n    return 3\n",
        "app/main.py": "import storage.es.reader\n",
        ELASTIC: _record(3, "One client for Elasticsearch", "2024-01-01",
                         "The [reader](../../storage/es/reader.py) talks to every version through one client."),
        BADGER: _record(2, "Badger record layouts", "2024-02-01", "Keys are laid out by `storage.badger.db`."),
        CASSANDRA: _record(1, "Cassandra schema", "2024-03-01", "Tables are created by storage/cassandra/writer.py."),
        OLD_ELASTIC: _record(0, "A client per Elasticsearch version", "2023-01-01",
                             "storage/es/reader.py picks a client per version.").replace(
                                 "Accepted", "Superseded by [3. One client](0003-elasticsearch-client.md)"),
    }, date="2024-03-02T12:00:00+00:00")
    store = open_store(str(root / "store"))
    ingest_into_store(store, repo.root)
    yield store.load("r")
    store.close()


def test_each_decision_remembers_the_paths_its_text_names(graph):
    mentions = {d.key: d.get("mentions") for d in graph.of_label(Label.DECISION)}
    assert mentions == {ELASTIC: ["storage/es/reader.py"], BADGER: ["storage/badger/db"],
                        CASSANDRA: ["storage/cassandra/writer.py"], OLD_ELASTIC: ["storage/es/reader.py"]}


def test_the_decision_about_the_changed_folder_comes_first_and_says_why(graph):
    rows = briefing(graph, paths=["storage/es/reader.py"])["decisions"]
    # (the superseded record naming the very file comes after every decision in force: it is history, not the rule)
    assert [(d["path"], d.get("near")) for d in rows] == [
        (ELASTIC, "storage/es/reader.py"), (CASSANDRA, "storage"), (BADGER, "storage"),
        (OLD_ELASTIC, "storage/es/reader.py")]
    rows = briefing(graph, paths=["storage/badger"])["decisions"]
    assert [(d["path"], d.get("near")) for d in rows] == [
        (BADGER, "storage/badger"), (CASSANDRA, "storage"), (ELASTIC, "storage"), (OLD_ELASTIC, "storage")]


def test_a_decision_naming_a_module_the_file_imports_is_as_near_as_that_module(graph):
    rows = briefing(graph, paths=["storage/es/index.py"])["decisions"]
    assert [(d["path"], d.get("near"), d.get("uses")) for d in rows] == [
        (BADGER, None, "storage/badger/db.py"), (ELASTIC, "storage/es", None), (CASSANDRA, "storage", None),
        (OLD_ELASTIC, "storage/es", None)]


def test_a_small_limit_keeps_the_nearest_decision(graph):
    answer = briefing(graph, paths=["storage/es/reader.py"], limit=1)
    assert [d["path"] for d in answer["decisions"]] == [ELASTIC]
    assert answer["omitted"]["decisions"] == 3


def test_a_briefing_for_a_component_keeps_the_newest_first(graph):
    rows = briefing(graph, component="storage")["decisions"]
    assert [d["path"] for d in rows] == [CASSANDRA, BADGER, ELASTIC, OLD_ELASTIC]
    assert not any("near" in d for d in rows)
