"""``Thresholds``, the pydantic model of ``[thresholds]``: see ``graph.thresholds`` for what each one means.

Imported by whoever validates or names the model (``from cairn.graph.threshold_model import
Thresholds``); reading one threshold back from a graph needs it not (``graph.thresholds.stored_threshold``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cairn.graph.model import RepoGraph
from cairn.graph.thresholds import DEFAULTS, MAX_INACTIVE_DAYS, MAX_TRUCK_FACTOR, ThresholdValues


class Thresholds(BaseModel):
    """When a person counts as gone and a component as at risk (see ``graph.thresholds``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    inactive_days: int = Field(DEFAULTS["inactive_days"], ge=0, le=MAX_INACTIVE_DAYS)
    at_risk_truck_factor: int = Field(DEFAULTS["at_risk_truck_factor"], ge=0, le=MAX_TRUCK_FACTOR)
    orphaned_share: float = Field(DEFAULTS["orphaned_share"], ge=0, le=1, allow_inf_nan=False)
    max_coauthors: int = Field(DEFAULTS["max_coauthors"], ge=0, le=10_000, description="a commit with more co-authors (a squash) gives them no review credit")
    max_commit_files: int = Field(DEFAULTS["max_commit_files"], ge=1, le=100_000_000,
                                  description="a commit modifying or renaming more files than this (a sweep) delivers knowledge to nobody")

    @classmethod
    def of(cls, graph: RepoGraph) -> "Thresholds":
        """The thresholds the repository was ingested with (the defaults when it recorded none)."""
        repo = graph.repository
        stored: dict[str, Any] = (repo.get("thresholds") if repo is not None else None) or {}
        return cls(**stored)

    @classmethod
    def check_values(cls, graph: RepoGraph, values: ThresholdValues) -> None:
        """Fail unless ``values`` (``ThresholdValues.of(graph)``, read without the model) are what ``of`` reads, types
        included (for ``CAIRN_VERIFY_SKIPS``)."""
        model = cls.of(graph)
        if repr(values) != repr(type(values)(**{name: getattr(model, name) for name in DEFAULTS})):
            raise AssertionError(f"the thresholds read from {graph.repo} are not what Thresholds.of reads: {values}")
