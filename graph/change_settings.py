"""The models of ``[coupling]``, ``[trends]`` and ``[agents]`` (pydantic): see ``graph.changes`` for what they set.

``graph.changes`` offers these names and imports this module when one is first
named (``from cairn.graph.changes import CouplingSettings`` still works): the
vocabulary of change is read by every ingest, the models only by whoever
validates a configuration or names them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from cairn.graph.changes import Period


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CouplingSettings(_Strict):
    """Change coupling thresholds, with code-maat's defaults (Tornhill, *Your Code as a Crime Scene*)."""

    min_revs: int = Field(5, ge=1, description="the pair's average number of revisions must reach this")
    min_shared: int = Field(5, ge=1, description="commits touching both files")
    min_degree: float = Field(30, ge=0, le=100, description="shared / average revisions × 100")
    max_changeset: int = Field(30, ge=2, description="commits touching more files are left out (bulk renames, sweeps)")


class TrendSettings(_Strict):
    period: Period = Field("quarter", description="the finest period trends are kept at")
    knowledge_periods: int = Field(20, ge=1, le=10_000, description=(
        "the last periods that get truck factors; before them only each year's last period does"))
    samples: int = Field(4, ge=0, le=200, description=(
        "periods before the current one whose last commit's code graph is extracted: the last `samples` periods "
        "get new couplings and cycles (a first ingest parses what changed in them; later ones reuse the results)"))


class AgentMarker(_Strict):
    text: str = Field(min_length=3, description="a phrase in a commit message (case-insensitive) that marks agent work")
    agent: str = Field(min_length=3, description='the agent it names, as "Name <email>"')


class AgentSettings(_Strict):
    markers: list[AgentMarker] = Field(default_factory=list)
    recent_days: int = Field(180, ge=1, description="the window of a component's agent share")
