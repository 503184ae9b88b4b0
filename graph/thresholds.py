"""Thresholds: the numbers that turn knowledge facts into judgements (``[thresholds]`` in ``cairn.toml``).

* ``inactive_days`` — a person whose last activity is more than this many days
  before the newest commit counts as gone (as one listed as departed does);
* ``at_risk_truck_factor`` — a component whose truck factor is at most this is
  at risk;
* ``orphaned_share`` — so is one where more than this share of the files has
  no author left;
* ``max_coauthors`` — a commit with more ``Co-authored-by`` trailers than this
  (a squash of a long-lived branch) gives its co-authors no review credit;
* ``max_commit_files`` — a commit that modifies or renames more files than this
  is a sweep (license headers, reformatting, dependency updates, a module
  renamed): its modifications deliver knowledge to nobody (no authorship, no
  review credit). ibc-go's SPDX-header commit of 896 files made its author
  one of the two people who "know" most of the repository.

Ingest stores them on the Repository node (``thresholds``); the analyses read
them back with ``Thresholds.of``.

``Thresholds`` (pydantic, in ``graph.threshold_model``, which builds on the
bounds and defaults here) validates them in a configuration; ``stored_threshold``
reads one back from a graph without it (the PR check judges who is gone without
pydantic), and ``ThresholdValues`` all of them, as plain values (an ingest
reads them so, from its validated configuration and from the graph it built).
"""


from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from cairn.graph.model import RepoGraph

# Bounds on numbers a configuration may set: beyond them a value is a mistake (and would overflow dates).
MAX_INACTIVE_DAYS = 36_500  # a hundred years
MAX_TRUCK_FACTOR = 10_000
#: Each threshold's value when the configuration does not set it.
DEFAULTS: dict[str, Any] = {"inactive_days": 180, "at_risk_truck_factor": 1, "orphaned_share": 0.5, "max_coauthors": 5,
                            "max_commit_files": 100}


def stored_threshold(graph: RepoGraph, name: str) -> Any:
    """The threshold ``name`` the repository was ingested with (validated then), as ``Thresholds.of(graph)`` has it."""
    repo = graph.repository
    stored: dict[str, Any] = (repo.get("thresholds") if repo is not None else None) or {}
    return stored.get(name, DEFAULTS[name])


@dataclass(frozen=True)
class ThresholdValues:
    """The thresholds as plain values: ``Thresholds``' fields (``ingest.config_values`` checks they are the same)."""

    inactive_days: int
    at_risk_truck_factor: int
    orphaned_share: float
    max_coauthors: int
    max_commit_files: int

    @classmethod
    def of(cls, graph: RepoGraph) -> "ThresholdValues":
        """``Thresholds.of(graph)`` without the model: the thresholds the repository was ingested with (validated then;
        the defaults when it recorded none). ``Thresholds.check_values`` compares them with the model's."""
        return cls(**{name: stored_threshold(graph, name) for name in DEFAULTS})

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        """As ``Thresholds.model_dump`` (every value is JSON)."""
        return dataclasses.asdict(self)
