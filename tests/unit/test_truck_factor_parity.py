"""The fast truck factors (sorted greedy removal, per-scope indexes across periods) against the straightforward ones.

``reference_greedy`` and ``reference_over_time`` are the algorithms as first
written: pick the least (most files, highest rank, smallest id) person again
after every removal, and rebuild every recomputed scope from all its files.
Random histories with ties, files moving between components, deletions and
re-additions, people leaving and coming back, and periods where nothing
changed must give exactly the same numbers.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from cairn.graph.changes import KnowledgeSnapshot
from cairn.queries.ownership import COVERAGE, _neg, file_authors, greedy_truck_factor
from cairn.queries.trends import truck_factors_over_time


def reference_greedy(files, knowers, rank=None) -> list[str]:
    scope = set(files)
    if not scope:
        return []
    files_of: dict[str, set[str]] = {}
    count: dict[str, int] = {}
    for f in scope:
        people = set(knowers.get(f, ()))
        count[f] = len(people)
        for p in people:
            files_of.setdefault(p, set()).add(f)
    covered = sum(1 for n in count.values() if n)
    rank = rank or {}
    removed: list[str] = []
    while files_of:
        if covered < COVERAGE * len(scope):
            break
        pick = min(files_of, key=lambda p: (-len(files_of[p]), _neg(rank.get(p)), p))
        removed.append(pick)
        for f in files_of.pop(pick):
            count[f] -= 1
            if count[f] == 0:
                covered -= 1
    return removed


def reference_over_time(snapshots) -> dict[str, dict[str, Any]]:
    authors: dict[str, list[str]] = {}
    holders: dict[str, frozenset[str]] = {}
    previous_files: dict[str, str | None] = {}
    previous_gone: set[str] = set()
    scopes: dict[str | None, dict[str, Any]] = {}
    out: dict[str, dict[str, Any]] = {}
    for snap in snapshots:
        authorship: set[str] = set(files_moved := snap.files.keys() ^ previous_files.keys())
        knowledge: set[str] = set(files_moved)
        for path, (candidates, reviewed) in snap.changed.items():
            found = file_authors(candidates)
            if found != authors.get(path):
                authors[path] = found
                authorship.add(path)
            known = frozenset(found).union(reviewed)
            if known != holders.get(path):
                holders[path] = known
                knowledge.add(path)
        files = snap.files
        flipped = snap.gone ^ previous_gone
        by_authors = {files.get(p) or previous_files.get(p) for p in authorship}
        by_holders = {files.get(p) or previous_files.get(p) for p in knowledge}
        members: dict[str | None, list[str]] = {None: list(files)}
        for path, comp in files.items():
            if comp:
                members.setdefault(comp, []).append(path)
        for scope, paths in members.items():
            state = scopes.get(scope)
            fresh = state is None
            if fresh:
                state = scopes[scope] = {"tf": 0, "htf": 0, "holders": frozenset()}
            if fresh or (authorship if scope is None else scope in by_authors):
                state["tf"] = len(reference_greedy(paths, authors, snap.rank))
            if fresh or (knowledge if scope is None else scope in by_holders):
                state["holders"] = frozenset().union(*(holders.get(f, frozenset()) for f in paths))
            elif not (flipped and not flipped.isdisjoint(state["holders"])):
                continue
            present = {f: [p for p in holders.get(f, ()) if p not in snap.gone] for f in paths}
            state["htf"] = len(reference_greedy(paths, present, snap.rank))
        out[snap.period] = {
            "truck_factor": scopes[None]["tf"], "human_truck_factor": scopes[None]["htf"],
            "components": {c: [scopes[c]["tf"], scopes[c]["htf"]] for c in sorted(c for c in members if c is not None)},
        }
        for comp in [c for c in scopes if c is not None and c not in members]:
            del scopes[comp]
        previous_files, previous_gone = files, set(snap.gone)
    return out


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
