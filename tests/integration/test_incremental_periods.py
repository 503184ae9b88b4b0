"""The Period nodes a save after a commit names (``GraphChanges.nodes_changed``): only those the commit may change.

After a commit, the trends say which periods' nodes may differ from those the last ingest made
(``queries.trends.annotate_trends``): the periods the new commits landed in (``TrendInputs.landed``: their activity
is the remembered one plus those commits), the sampled periods and the current one, when the earlier periods' truck
factors are the ones the last ingest computed (``known_factors``). The save names only those; every other Period
node is taken as stored, unread. Every test runs with ``CAIRN_VERIFY_SKIPS=1`` (tests/conftest.py): a Period node
left unnamed that differs from the stored one fails the save. Here: a commit in the current period names the
current and the sampled periods, one dated in a past period (a skewed clock: git places it on top) names that
period too, every store is a cold ingest's, and a wrong answer from the trends is refused by the store's check.
The nodes of the other periods are made when first read (``graph.lazy_nodes``): most never are by such a save, and
one made wrong is refused by the check too.
"""

from __future__ import annotations

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.graph.errors import StoreError
from cairn.graph.lazy_nodes import LazyNode, lazy_node
from cairn.graph.model import Label, Node
from cairn.graph.sqlite_chunks import node_chunk_ends
from cairn.queries import trends as trends_module
from fixtures.gitrepo import GitRepo
from fixtures.stored_answers import assert_answers_as_cold
from test_incremental_parity import Recording, assert_same_rows

ADA, BOB, CAROL = ("Ada Lovelace", "ada@example.com"), ("Bob Builder", "bob@example.com"), ("Carol", "carol@example.com")
TOML = '[components]\ncore = ["core/**"]\nweb = ["web/**"]\n\n[trends]\nperiod = "month"\nsamples = 1\n'


def _history(root) -> GitRepo:
    """Twenty-four and a half years of commits, one every other month, by three people in two components: the Period
    nodes make several chunks of the store."""
    repo = GitRepo(root)
    repo.commit({"cairn.toml": TOML, "core/__init__.py": "", "core/a.py": "A = 0\n", "web/__init__.py": "",
                 "web/w.py": "from core import a\n"}, author=ADA, date="2000-01-10T12:00:00+00:00", message="start")
    people = (ADA, BOB, CAROL)
    for i in range(147):
        year, month = 2000 + (2 * i + 1) // 12, (2 * i + 1) % 12 + 1
        path = ("core/a.py", "web/w.py", f"core/m{i % 4}.py")[i % 3]
        repo.commit({path: f"from core import a\nV = {i}\n"}, author=people[i % 3],
                    date=f"{year}-{month:02d}-15T12:00:00+00:00", message=f"change {i}")
    return repo


def _alone(store) -> str:
    """A month whose Period node shares its chunk of the store with past Period nodes alone (nodes of other labels
    are named after every commit, and the current and the sampled month too: a chunk holding one is written again)."""
    ids = sorted(store.load("app").nodes)
    start = 0
    for end in node_chunk_ends(ids) + [len(ids)]:
        chunk = ids[start:end]
        if all(node.startswith("Period|app|20") and node < "Period|app|2024" for node in chunk) and len(chunk) > 2:
            return chunk[1].split("|")[-1]
        start = end
    raise AssertionError("no chunk of past Period nodes alone")


def _periods(changes) -> set[str] | None:
    named = changes.nodes_changed
    return None if named is None else {node.split("|")[-1] for node in named if node.startswith("Period|")}


def _cold(repo: GitRepo, store, path) -> None:
    ingest_into_store(open_store(str(path)), repo.root)
    assert_same_rows(store.root, path, "app")
    assert_answers_as_cold(store.root, path, "app")


def test_a_commit_names_only_the_periods_it_may_change_and_the_store_is_a_cold_ingests(tmp_path):
    repo = _history(tmp_path / "app")
    store = Recording(tmp_path / "warm")
    ingest_into_store(store, repo.root)
    stored = {node.key for node in store.load("app").of_label("Period")}
    assert len(stored) > 290

    repo.commit({"core/a.py": "A = 1\n"}, author=BOB, date="2024-06-20T12:00:00+00:00", message="in the current quarter")
    ingest_into_store(store, repo.root)
    assert _periods(store.saved[-1]) == {"2024-05", "2024-06"}  # the sampled month and the current one
    _cold(repo, store, tmp_path / "cold-1")

    # committed with a clock years behind: git shows it on top, its activity counts in May 2017
    repo.commit({"web/w.py": "W = 2\n"}, author=CAROL, date="2017-05-02T12:00:00+00:00", message="skewed")
    result = ingest_into_store(store, repo.root)
    # (and those the state file, not written again after one commit, did not count yet: ingest.history_state)
    assert "2017-05" in result.trends.landed and result.trends.landed <= {"2017-05", "2024-06"}
    assert _periods(store.saved[-1]) == {"2017-05", "2024-05", "2024-06"}
    _cold(repo, store, tmp_path / "cold-2")


def test_a_period_left_unnamed_that_changed_fails_the_save(tmp_path, monkeypatch):
    repo = _history(tmp_path / "app")
    store = Recording(tmp_path / "warm")
    ingest_into_store(store, repo.root)
    annotate = trends_module.annotate_trends

    def forgetful(graph, inputs, replayed=None):  # the trends forget where the commit landed
        annotate(graph, inputs, replayed)
        if inputs.periods_changed is not None:
            inputs.periods_changed -= inputs.landed

    monkeypatch.setattr(trends_module, "annotate_trends", forgetful)
    month = _alone(store)
    repo.commit({"web/w.py": "W = 3\n"}, author=CAROL, date=f"{month}-02T12:00:00+00:00", message="skewed")
    with pytest.raises(StoreError, match="not named in nodes_changed"):
        ingest_into_store(store, repo.root)
    assert _periods(store.saved[-1]) == {"2024-05", "2024-06"}  # the promise the check refused


def test_the_periods_left_alone_are_made_only_when_read_and_one_made_wrong_fails_the_save(tmp_path, monkeypatch):
    repo = _history(tmp_path / "app")
    store = Recording(tmp_path / "warm")
    ingest_into_store(store, repo.root)
    repo.commit({"core/a.py": "A = 1\n"}, author=BOB, date="2024-06-20T12:00:00+00:00", message="in the current month")
    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")  # (the check reads every node)
    result = ingest_into_store(store, repo.root)
    periods = result.graph.of_label(Label.PERIOD)
    lazy = [node.key for node in periods if type(node) is LazyNode]
    assert len(periods) > 290 and len(lazy) > 2 * len(periods) // 3  # but those sharing a chunk with a named node
    assert "2024-06" not in lazy and "2024-05" not in lazy
    _cold(repo, store, tmp_path / "cold")

    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    monkeypatch.setattr(trends_module, "lazy_node", lambda label, repo, key, make: lazy_node(
        label, repo, key, lambda: {**make(), "commits": -1}))
    repo.commit({"core/a.py": "A = 2\n"}, author=BOB, date="2024-06-21T12:00:00+00:00", message="again")
    with pytest.raises(StoreError, match="not named in nodes_changed"):
        ingest_into_store(store, repo.root)


def test_a_lazy_node_is_a_node_in_every_respect_and_becomes_a_plain_one_when_read():
    made: list[int] = []

    def make() -> dict:
        made.append(1)
        return {"period": "2024-Q1", "commits": 3}

    node = lazy_node(Label.PERIOD, "r", "2024-Q1", make)
    plain = Node(Label.PERIOD, "r", "2024-Q1", {"period": "2024-Q1", "commits": 3})
    assert isinstance(node, Node) and not made
    assert node.id == plain.id and node.key == "2024-Q1"
    assert node == plain and plain == lazy_node(Label.PERIOD, "r", "2024-Q1", make)
    assert type(node) is Node and node.get("commits") == 3 and repr(node) == repr(plain)
    other = lazy_node(Label.PERIOD, "r", "2024-Q1", make)
    other.props = {"period": "2024-Q1"}  # set before it was read: the function is not called
    assert other.props == {"period": "2024-Q1"} and len(made) == 2
