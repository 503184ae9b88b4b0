"""The fast truck factors (sorted greedy removal, per-scope indexes across periods) against the straightforward ones.

``reference_greedy`` and ``reference_over_time`` (``fixtures.trend_reference``) are the algorithms as first
written: pick the least (most files, highest rank, smallest id) person again
after every removal, and rebuild every recomputed scope from all its files.
Random histories with ties, files moving between components, deletions and
re-additions, people leaving and coming back, and periods where nothing
changed must give exactly the same numbers.
"""

from __future__ import annotations

import random

import pytest

from cairn.graph.changes import KnowledgeSnapshot
from cairn.queries.ownership import greedy_truck_factor
from cairn.queries.trends import truck_factors_over_time
from fixtures.trend_reference import reference_greedy, reference_over_time


def _random_history(rng: random.Random, periods: int) -> list[KnowledgeSnapshot]:
    people = [f"p{i}" for i in range(rng.randint(1, 9))]
    paths = [f"f{i}" for i in range(rng.randint(1, 40))]
    components = [None, "a", "b", "c"]
    present: dict[str, str | None] = {}
    rank: dict[str, int] = {}
    out = []
    for n in range(periods):
        changed: dict[str, tuple[dict[str, tuple[float, bool]], set[str]]] = {}
        if rng.random() < 0.8:  # else a period where nothing happened
            for path in rng.sample(paths, rng.randint(0, len(paths))):
                roll = rng.random()
                if roll < 0.1:
                    present.pop(path, None)  # deleted (or renamed away)
                    continue
                if roll < 0.2 or path not in present:
                    present[path] = rng.choice(components)  # (re)added, possibly elsewhere
                # few DOA values, so that authors and ties repeat
                candidates = {p: (rng.choice([0.5, 1.0, 3.3, 4.0, 4.0]), rng.random() < 0.3)
                              for p in rng.sample(people, rng.randint(0, len(people)))}
                reviewed = set(rng.sample(people, rng.randint(0, min(2, len(people)))))
                changed[path] = (candidates, reviewed)
            for p in rng.sample(people, rng.randint(0, len(people))):
                rank[p] = rank.get(p, 0) + rng.choice([1, 1, 2])
        gone = set(rng.sample(people, rng.randint(0, len(people)))) if rng.random() < 0.7 else set()
        out.append(KnowledgeSnapshot(f"2020-{n:02d}", dict(present), changed, gone, dict(rank)))
    return out


@pytest.mark.parametrize("seed", range(60))
def test_truck_factors_over_time_match_the_straightforward_recomputation(seed: int) -> None:
    rng = random.Random(seed)
    history = _random_history(rng, rng.randint(1, 14))
    assert truck_factors_over_time(history) == reference_over_time(history)


def test_the_random_histories_exercise_what_can_go_wrong() -> None:
    """The generator really makes ties, removals and departures that move the numbers (else the parity proves little)."""
    factors, moved_by_gone = set(), 0
    for seed in range(60):
        rng = random.Random(seed)
        history = _random_history(rng, rng.randint(1, 14))
        result = reference_over_time(history)
        for values in result.values():
            factors.add(values["truck_factor"])
            moved_by_gone += values["human_truck_factor"] != values["truck_factor"]
    assert len(factors) >= 4 and moved_by_gone > 20


@pytest.mark.parametrize("seed", range(200))
def test_greedy_truck_factor_matches_picking_the_least_key_each_time(seed: int) -> None:
    rng = random.Random(seed)
    people = [f"p{i}" for i in range(rng.randint(0, 8))]
    files = [f"f{i}" for i in range(rng.randint(0, 30))]
    knowers = {f: rng.sample(people, rng.randint(0, len(people))) for f in files if rng.random() < 0.9}
    rank = {p: rng.randint(0, 3) for p in people if rng.random() < 0.7}
    scope = [f for f in files if rng.random() < 0.8] + ["outside-knowers"]
    assert greedy_truck_factor(scope, knowers, rank) == reference_greedy(scope, knowers, rank)
    assert greedy_truck_factor(scope, knowers) == reference_greedy(scope, knowers)
