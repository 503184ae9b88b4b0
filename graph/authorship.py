"""Avelino et al.'s authorship rule: who, among a file's DOA candidates, is an author of it.

Shared by the analyses (``queries.ownership``, ``queries.trends``) and by the
history replay that computes who authored what at past period ends
(``ingest.trend_history``), which must decide exactly as they do; and what it
decided for every file of a graph (``Authorship``), which the ingest that built
its KNOWS edges hands to the bus factor (``ingest.knowledge.authorship_of``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping

#: Fritz et al.'s degree of authorship: ``DOA = DOA_BASE + DOA_FA·FA + DOA_DL·DL − DOA_AC·ln(1 + AC)``
#: (``ingest.knowledge``)
DOA_BASE, DOA_FA, DOA_DL, DOA_AC = 3.293, 1.098, 0.164, 0.321
NORMALISED_DOA = 0.75
ABSOLUTE_DOA = 3.293


def commits_to_file(knows: Any) -> int:
    """A person's commits to a file from their KNOWS edge (or its properties: anything with ``get``): their deliveries (changes after the file's
    first commit) and, when they made it, that first commit — how ``who-knows`` and the hotspots order its holders."""
    return int(knows.get("deliveries") or 0) + bool(knows.get("first_authorship"))


def own_doa(knows: Any) -> float | None:
    """The part of a person's DOA of a file (their KNOWS edge, or its properties) that their own work on it earned: the
    DOA less that of someone who made none of its changes, ``DOA_BASE − DOA_AC·ln(1 + its deliveries)``, the same for
    everybody on the file — ``DOA_FA`` for adding it, ``DOA_DL`` a delivery, and what their deliveries spare them of
    the others' ``AC`` term. None without a DOA (review credit only)."""
    doa = knows.get("doa")
    if doa is None:
        return None
    changes = int(knows.get("deliveries") or 0) + int(knows.get("acceptances") or 0)
    return float(doa) - DOA_BASE + DOA_AC * math.log1p(changes)


def is_author(doa: float, max_doa: float, first_authorship: bool) -> bool:
    """Avelino et al.'s authorship rule for one person and one file."""
    return max_doa > 0 and doa / max_doa > NORMALISED_DOA and (doa >= ABSOLUTE_DOA or first_authorship)


def file_authors(candidates: Mapping[str, tuple[float, bool]]) -> list[str]:
    """Authors among ``{person: (doa, first_authorship)}`` for one file."""
    if not candidates:
        return []
    best = max([doa for doa, _ in candidates.values()])
    if not best > 0:
        return []
    # ``is_author(doa, best, fa)``, written out: this runs for every KNOWS edge of a repository
    return sorted([p for p, (doa, fa) in candidates.items() if doa / best > NORMALISED_DOA and (doa >= ABSOLUTE_DOA or fa)])


@dataclass(frozen=True)
class Authorship:
    """Who authors and who holds knowledge of each file, as ``queries.ownership`` reads them from the KNOWS edges,
    worked out by ``ingest.knowledge`` from the columns it built those edges from: ``authors`` (File key -> its
    authors' Person node ids, sorted, for the files with a DOA candidate), ``holders`` (File key -> authors and
    reviewers), and what sets ``author`` on every KNOWS edge, whether its person is an author of its file
    (``mark_authors``: on the edges made, or as they are made, see ``graph.lazy_knows``)."""

    authors: dict[str, list[str]]
    holders: dict[str, set[str]]
    mark_authors: Callable[[], None]
