"""``file_authors`` writes Avelino et al.'s rule out for speed: it must decide exactly as ``is_author`` does."""

from __future__ import annotations

import itertools
import random

from cairn.graph.authorship import ABSOLUTE_DOA, NORMALISED_DOA, file_authors, is_author


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
