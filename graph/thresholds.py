"""Thresholds: the numbers that turn knowledge facts into judgements (``[thresholds]`` in ``cairn.toml``).

* ``inactive_days`` — a person whose last activity is more than this many days
  before the newest commit counts as gone (as one listed as departed does);
* ``at_risk_truck_factor`` — a component whose truck factor is at most this is
  at risk;
* ``orphaned_share`` — so is one where more than this share of the files has
  no author left;
* ``max_coauthors`` — a commit with more ``Co-authored-by`` trailers than this
  (a squash of a long-lived branch) gives its co-authors no review credit.

Ingest stores them on the Repository node (``thresholds``); the analyses read
them back with ``Thresholds.of``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cairn.graph.model import RepoGraph


# Bounds on numbers a configuration may set: beyond them a value is a mistake (and would overflow dates).
MAX_INACTIVE_DAYS = 36_500  # a hundred years
MAX_TRUCK_FACTOR = 10_000


class Thresholds(BaseModel):
    """When a person counts as gone and a component as at risk (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    inactive_days: int = Field(180, ge=0, le=MAX_INACTIVE_DAYS)
    at_risk_truck_factor: int = Field(1, ge=0, le=MAX_TRUCK_FACTOR)
    orphaned_share: float = Field(0.5, ge=0, le=1, allow_inf_nan=False)
    max_coauthors: int = Field(5, ge=0, le=10_000, description="a commit with more co-authors (a squash) gives them no review credit")

    @classmethod
    def of(cls, graph: RepoGraph) -> "Thresholds":
        """The thresholds the repository was ingested with (the defaults when it recorded none)."""
        repo = graph.repository
        stored: dict[str, Any] = (repo.get("thresholds") if repo is not None else None) or {}
        return cls(**stored)
