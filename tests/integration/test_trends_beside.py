"""The trends' truck factors computed in a forked child store exactly what the sequential ingest stores.

A random history of several years (``test_trend_replay_parity._fast_import``:
humans, a bot, an agent, trailers, renames, deletions, three components) is
ingested twice into fresh stores: once with ``beside`` forking (the child
replays the knowledge from the history pass on), once with it off (the parent
replays at ``annotate_trends``). Every stored row and every stored answer must
be the same text. Around that: the early replay is the one the trend inputs
hand on, and what ``Beside`` gives (a value, an error) is what the function
gives in the parent.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import pytest
from test_incremental_parity import assert_same_rows
from test_trend_replay_parity import random_history

from cairn.api.bootstrap import open_store
from cairn.api.services import beside as beside_module
from cairn.api.services.beside import Beside
from cairn.api.services.changes_over_time import FactorsBeside
from cairn.api.services.ingesting import ingest_into_store
from cairn.ingest.pipeline import ingest_repository
from cairn.queries.trends import replay_stop, truck_factors_over_time
from fixtures.gitrepo import GitRepo

forking = pytest.mark.skipif(not beside_module.ENABLED, reason="forking is Linux-only")


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    return random_history(tmp_path_factory.mktemp("beside") / "repo", 7, 400)


def stored_answers(store_dir: Path) -> dict[str, str]:
    with contextlib.closing(sqlite3.connect(store_dir / "cairn.db")) as db:
        return dict(db.execute("SELECT name, value FROM answers"))


@forking
def test_the_forked_trend_factors_store_what_the_sequential_ingest_stores(history, tmp_path, monkeypatch) -> None:
    ingest_into_store(open_store(str(tmp_path / "forked")), history)
    monkeypatch.setattr(beside_module, "ENABLED", False)
    ingest_into_store(open_store(str(tmp_path / "sequential")), history)
    assert_same_rows(tmp_path / "forked", tmp_path / "sequential", "repo")
    forked, sequential = stored_answers(tmp_path / "forked"), stored_answers(tmp_path / "sequential")
    assert forked.keys() == sequential.keys()
    assert {k: v for k, v in forked.items() if sequential[k] != v} == {}
    with contextlib.closing(sqlite3.connect(tmp_path / "forked" / "cairn.db")) as db:
        periods = db.execute("SELECT count(*) FROM nodes WHERE id LIKE 'Period|%'").fetchone()[0]
    assert periods > 8


@forking
def test_the_early_replay_is_the_one_the_trend_inputs_hand_on_and_the_child_gives_its_factors(history) -> None:
    started: list[FactorsBeside] = []
    result = ingest_repository(history, replay_beside=lambda replay: started.append(FactorsBeside(replay)))
    assert len(started) == 1 and started[0].replay.same
    assert started[0].job._pid is not None  # the child runs
    stop = replay_stop(result.trends)
    assert stop == started[0].replay.stop_at
    expected = truck_factors_over_time(result.trends.snapshots(), stop_at=stop)
    assert len({(f["truck_factor"], f["human_truck_factor"]) for f in expected.values()}) > 1
    assert started[0].factors(result.trends, stop) == expected
    # another stop (no stored bus factor): the parent replays, the child is not asked
    again = ingest_repository(history, replay_beside=lambda replay: started.append(FactorsBeside(replay)))
    assert started[1].factors(again.trends, None) == truck_factors_over_time(again.trends.snapshots())
    assert started[1].job._pid is None


@forking
def test_annotate_trends_lets_the_replay_go_once_it_has_the_factors_and_makes_the_same_periods(history) -> None:
    from cairn.api.services.changes_over_time import annotate_trends
    from cairn.graph.model import Label
    from cairn.queries.ownership import annotate_bus_factor

    def periods(beside: bool) -> tuple[dict, list, object]:
        started: list = []
        result = ingest_repository(history, replay_beside=started.append if beside else None)
        annotate_bus_factor(result.graph)  # the current period's factors stored: the child's replay is taken
        annotate_trends(result.graph, result.trends, FactorsBeside(started[0]) if started else None)
        return {node.id: node.props for node in result.graph.of_label(Label.PERIOD)}, started, result.trends

    with_child, started, inputs = periods(beside=True)
    assert len(started) == 1 and started[0].snapshots is None  # let go: the child's replay and the inputs'
    with pytest.raises(RuntimeError, match="released"):
        inputs.snapshots()
    alone, started, inputs = periods(beside=False)
    assert started == [] and next(iter(inputs.snapshots()), None) is not None  # no child: nothing is let go
    assert len(with_child) > 8 and with_child == alone


def test_equal_component_rows_of_the_periods_are_one_dict_and_store_as_before(history) -> None:
    import json

    from cairn.api.services.changes_over_time import annotate_trends
    from cairn.graph.model import Label
    from cairn.graph.values import dumps
    from cairn.queries.ownership import annotate_bus_factor

    result = ingest_repository(history)
    annotate_bus_factor(result.graph)
    annotate_trends(result.graph, result.trends)
    rows = [row for node in result.graph.of_label(Label.PERIOD) for row in (node.props.get("components") or {}).values()]
    texts = [dumps(row) for row in rows]
    by_text: dict[str, set[int]] = {}
    for row, text in zip(rows, texts):
        by_text.setdefault(text, set()).add(id(row))
    assert len(rows) > len(by_text) > 1  # rows repeat (a quiet component in many periods) and differ
    assert all(len(ids) == 1 for ids in by_text.values())  # an equal row is the same dict
    # ... and a row that differs is another dict, with the keys in the order they had
    for row in rows:
        assert list(row)[:3] == ["commits", "agent_commits", "human_ids"]
        assert list(row)[3:] in ([], ["truck_factor", "human_truck_factor"])
    assert all(json.loads(text) == row for text, row in zip(texts, rows))


def test_without_history_there_is_no_early_replay(tmp_path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write({"a.py": "x = 1\n"})
    started: list[object] = []
    ingest_repository(repo.root, replay_beside=started.append)
    assert started == []


@forking
def test_a_child_that_fails_or_dies_gives_what_the_parent_computes(tmp_path) -> None:
    parent = os.getpid()

    def fails_in_the_child() -> dict[str, int]:
        if os.getpid() != parent:
            raise RuntimeError("child only")
        return {"computed": os.getpid()}

    assert Beside(fails_in_the_child).start().result() == {"computed": parent}

    def killed_in_the_child() -> list[int]:
        if os.getpid() != parent:
            os.kill(os.getpid(), 9)
        return [1, 2]

    assert Beside(killed_in_the_child).start().result() == [1, 2]
    assert Beside(lambda: {"a": [1, None, "x"]}).start().result() == {"a": [1, None, "x"]}


def test_an_error_is_the_one_the_function_raises_in_the_parent(monkeypatch) -> None:
    for enabled in (True, False) if beside_module.ENABLED else (False,):
        monkeypatch.setattr(beside_module, "ENABLED", enabled)
        job = Beside(lambda: {}["missing"]).start()
        with pytest.raises(KeyError, match="missing"):
            job.result()


@forking
def test_a_cancelled_child_is_reaped(tmp_path) -> None:
    job = Beside(lambda: [sum(range(10**9))]).start()
    pid = job._pid
    job.cancel()
    assert job._pid is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
