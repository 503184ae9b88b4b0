"""The trends' replay as it runs at ingest (the snapshots of ``trend_history._snapshots``, the factors of
``trends.truck_factors_over_time``) against the straightforward one: the candidates replay as first written
(``test_trend_replay_parity.reference_snapshots``) and the factors recomputed from every file of a scope
(``fixtures.trend_reference.reference_over_time``), over random histories with renames, deletions, re-additions
and review credit.

What the fast replay skips must be exactly what cannot change: the files it says came or went
(``KnowledgeSnapshot.moved``), the files whose authors or holders it says changed (``decided``, not said again
when a file's authors and review credit are as last told), and the greedy removal counted with set unions
(``trends._removals``).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from cairn.graph.authorship import file_authors
from cairn.ingest.pipeline import ingest_repository
from cairn.queries.ownership import greedy_truck_factor
from cairn.queries.trends import _removals, truck_factors_over_time
from fixtures.gitrepo import GitRepo
from fixtures.trend_reference import reference_over_time
from test_trend_replay_parity import HUMANS, random_history, reference_snapshots


@pytest.mark.parametrize("seed", range(5))
def test_the_replay_gives_the_factors_of_the_straightforward_recomputation(tmp_path: Path, seed: int) -> None:
    result = ingest_repository(random_history(tmp_path / "repo", 100 + seed, 450))
    ctx = result.trends.snapshots.args[0]
    expected = reference_over_time(reference_snapshots(ctx))
    assert truck_factors_over_time(result.trends.snapshots()) == expected
    current = list(expected)[-1]
    assert truck_factors_over_time(result.trends.snapshots(), stop_at=current) == {
        period: values for period, values in expected.items() if period != current}
    assert len({(f["truck_factor"], f["human_truck_factor"]) for f in expected.values()}) > 1


@pytest.mark.parametrize("seed", range(4))
def test_each_snapshot_says_exactly_which_files_came_or_went_and_which_changed_authors_or_holders(
        tmp_path: Path, seed: int) -> None:
    result = ingest_repository(random_history(tmp_path / "repo", 200 + seed, 450))
    ctx = result.trends.snapshots.args[0]
    previous: dict[str, str | None] = {}
    told: dict[str, tuple[list[str], frozenset[str]]] = {}  # what the decided entries said so far
    came_or_went = 0
    for fast, reference in zip(result.trends.snapshots(), reference_snapshots(ctx), strict=True):
        assert fast.period == reference.period and fast.files == reference.files
        assert fast.moved == fast.files.keys() ^ previous.keys()
        assert {p for p, _ in fast.files.items() ^ previous.items()} == fast.moved  # nothing changed component
        came_or_went += len(fast.moved)
        told.update(fast.decided)
        for path, (candidates, reviewed) in reference.changed.items():
            authors = file_authors(candidates)
            assert told.get(path, ([], frozenset())) == (authors, frozenset(authors).union(reviewed)), path
        previous = fast.files
    assert came_or_went > len(previous)  # deletions and renames, not only additions


def test_a_file_deleted_and_added_again_with_as_many_reviewers_says_its_new_holders(tmp_path: Path) -> None:
    """Review credit restarts with a file that comes back: the same count of reviewers is not the same people."""
    repo = GitRepo(tmp_path / "repo")
    body = "".join(f"LINE_{k} = {k}\n" for k in range(30))
    (a, b, c) = HUMANS[:3]
    repo.commit({"src/core/x.py": body, "src/core/y.py": body + "#y\n"}, author=a, date="2019-02-01T00:00:00+00:00",
                trailers=[f"Reviewed-by: {b[0]} <{b[1]}>"])
    repo.commit(delete=["src/core/x.py"], author=a, date="2020-02-01T00:00:00+00:00")
    repo.commit({"src/core/x.py": body + "#again\n"}, author=a, date="2020-03-01T00:00:00+00:00",
                trailers=[f"Reviewed-by: {c[0]} <{c[1]}>"])
    repo.commit({"src/core/y.py": body + "#y2\n"}, author=b, date="2021-02-01T00:00:00+00:00")
    result = ingest_repository(repo.root)
    said = [(s.period, s.decided["src/core/x.py"], s.moved) for s in result.trends.snapshots() if "src/core/x.py" in s.decided]
    assert [period for period, _, _ in said] == ["2019-Q1", "2020-Q1"]  # gone and back within 2020-Q1: not moved
    (_, first, _), (_, again, moved) = said
    assert first[0] == again[0] and len(first[1]) == len(again[1]) == 2 and first[1] != again[1]
    assert "src/core/x.py" not in moved


@pytest.mark.parametrize("seed", range(300))
def test_the_removal_count_is_the_length_of_the_greedy_removal(seed: int) -> None:
    rng = random.Random(seed)
    people = [f"p{i}" for i in range(rng.randint(1, 9))]
    files = [f"f{i}" for i in range(rng.randint(1, 30))]
    knowers = {f: set(rng.sample(people, rng.randint(0, min(3, len(people))))) for f in files}
    rank = {p: rng.choice([1, 2, 2, 5]) for p in people if rng.random() < 0.8}  # ties in files and in rank
    gone = set(rng.sample(people, rng.randint(0, len(people)))) if rng.random() < 0.5 else set()
    files_of: dict[str, set[str]] = {}
    for f, who in knowers.items():
        for p in who:
            files_of.setdefault(p, set()).add(f)
    present = {f: [p for p in who if p not in gone] for f, who in knowers.items()}
    assert _removals(files_of, len(files), rank, gone) == len(greedy_truck_factor(files, present, rank))
    assert _removals(files_of, len(files), rank) == len(greedy_truck_factor(files, knowers, rank))
