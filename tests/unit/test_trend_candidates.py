"""The trend replay's DOA candidates, skipping those below the bar, against computing everyone's DOA in order."""

from __future__ import annotations

import random

import pytest

from cairn.ingest.trend_history import _candidates, _candidates_in_order


@pytest.mark.parametrize("seed", range(300))
def test_candidates_match_computing_every_doa(seed: int) -> None:
    rng = random.Random(seed)
    ids = [f"person:{i}" for i in range(12)]
    log1p: list[float] = [0.0]
    need: list[int] = [0]
    for _ in range(20):
        records: dict[int, list[int]] = {}
        for person in rng.sample(range(12), rng.randint(0, 12)):
            adds = rng.choice([0, 0, 0, 1, 2])
            records[person] = [adds, rng.choice([0, 0, 1, 1, 2, 3, 5, 8, 20, 60]), rng.choice([0, 0, 1, 3])]
        total = sum(rec[1] for rec in records.values()) + rng.choice([0, 0, 1, 4, 30, 400])  # others' deliveries
        fast = _candidates(records, total, ids, log1p, need)
        slow = _candidates_in_order(records, total, ids, log1p)
        assert fast == slow
        assert list(fast[0].items()) == list(slow[0].items())  # the same order too (who came first)


def test_the_bar_is_the_fewest_deliveries_reaching_the_base_doa() -> None:
    log1p: list[float] = [0.0]
    need: list[int] = [0]
    _candidates({}, 500, [], log1p, need)
    from cairn.ingest.knowledge import DOA_BASE, DOA_DL
    for total, bar in enumerate(need):
        assert 0 <= bar <= total
        assert DOA_BASE + DOA_DL * bar - log1p[total - bar] >= DOA_BASE
        if bar:
            assert DOA_BASE + DOA_DL * (bar - 1) - log1p[total - bar + 1] < DOA_BASE
    assert need[500] > need[10] > 0
