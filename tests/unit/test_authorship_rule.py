"""``file_authors`` writes Avelino et al.'s rule out for speed: it must decide exactly as ``is_author`` does; ``own_doa``
is a DOA less the file's zero, the same for everybody on the file."""

from __future__ import annotations

import itertools
import random

import math

from cairn.graph.authorship import ABSOLUTE_DOA, DOA_AC, DOA_BASE, DOA_DL, DOA_FA, NORMALISED_DOA, file_authors, is_author, own_doa
from cairn.ingest.knowledge import degree_of_authorship


def by_the_rule(candidates: dict[str, tuple[float, bool]]) -> list[str]:
    if not candidates:
        return []
    best = max(doa for doa, _ in candidates.values())
    return sorted(p for p, (doa, first) in candidates.items() if is_author(doa, best, first))


def test_file_authors_agrees_with_is_author_on_the_edges_of_the_rule():
    # values at and around both thresholds, zero and negative DOA, ties, the creator or not
    best = 4.0
    doas = [0.0, -1.0, ABSOLUTE_DOA, ABSOLUTE_DOA - 1e-9, ABSOLUTE_DOA + 1e-9, best * NORMALISED_DOA,
            best * NORMALISED_DOA + 1e-9, best, 1e-12, 100.0, float("nan")]
    for a, b in itertools.product(doas, repeat=2):
        for first_a, first_b in itertools.product((False, True), repeat=2):
            candidates = {"a": (a, first_a), "b": (b, first_b)}
            assert file_authors(candidates) == by_the_rule(candidates), candidates
    assert file_authors({}) == [] and file_authors({"x": (0.0, True)}) == [] and file_authors({"x": (-2.0, True)}) == []


def test_file_authors_agrees_with_is_author_on_random_files():
    rng = random.Random(14)
    for _ in range(3000):
        candidates = {f"p{i}": (round(rng.uniform(-1, 12), rng.choice((0, 1, 3))), rng.random() < 0.3)
                      for i in range(rng.randint(1, 8))}
        assert file_authors(candidates) == by_the_rule(candidates), candidates


def test_own_doa_is_the_doa_above_what_someone_who_made_none_of_the_files_changes_would_have():
    # one file: an add and 20 deliveries, 10, and one (31 deliveries); a reviewer without a DOA
    people = {"lena": (True, 20), "mark": (False, 10), "dora": (False, 1)}
    total = sum(d for _, d in people.values())
    edges = {p: {"doa": degree_of_authorship(fa, d, total - d), "first_authorship": fa, "deliveries": d,
                 "acceptances": total - d} for p, (fa, d) in people.items()}
    shifts = {round(e["doa"] - own_doa(e), 9) for e in edges.values()}
    assert shifts == {round(DOA_BASE - DOA_AC * math.log(1 + total), 9)}
    assert math.isclose(own_doa(edges["dora"]), DOA_DL + DOA_AC * math.log((1 + total) / total))
    assert math.isclose(own_doa(edges["lena"]), DOA_FA + 20 * DOA_DL + DOA_AC * math.log((1 + total) / 12))
    assert own_doa({"doa": None, "reviews": 3}) is None
