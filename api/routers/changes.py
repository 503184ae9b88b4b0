"""Change over time: coupling, hotspots, the agent inventory and trends (the same JSON as the CLI's ``--format json``).

Under ``/repositories/{name}/``, as the web page's Change view asks for them (``api/web/change.js``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path as PathParam, Query
from pydantic import BaseModel, ConfigDict, Field

from cairn.api.deps import WorkspaceDep
from cairn.api.routers._problems import READ
from cairn.api.services import changes_over_time as changes

router = APIRouter(tags=["changes"])


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class CouplingThresholds(BaseModel):
    min_revs: int
    min_shared: int
    min_degree: float
    max_changeset: int


class FilePair(_Open):
    a: str
    b: str
    degree: float = Field(description="shared / average(revs_a, revs_b) × 100 (code-maat)")
    shared: int = Field(description="commits touching both files")
    revs_a: int
    revs_b: int
    imports: bool = Field(description="an import connects the two files' modules, either direction; false: hidden coupling")
    components: list[str | None]


class ComponentPair(_Open):
    a: str
    b: str
    degree: float
    shared: int
    revs_a: int
    revs_b: int
    imports: bool = Field(description="a component dependency connects them, either direction")


class CouplingLeftOut(BaseModel):
    tests: int = Field(description="file pairs with a test file, left out unless `tests`")


class CouplingReport(BaseModel):
    repository: str
    thresholds: CouplingThresholds
    pairs: list[FilePair]
    components: list[ComponentPair]
    tests: bool = Field(description="whether pairs with a test file are listed")
    left_out: CouplingLeftOut


class Hotspot(BaseModel):
    path: str
    changes: int
    lines: int | None
    score: int = Field(description="changes × lines")
    component: str | None
    truck_factor: int | None = Field(description="the component's truck factor")
    top_holder: str | None = Field(description="the file's human author with the highest degree of authorship")
    top_holder_active: bool | None = Field(None, description="false when the top holder left (departed or inactive)")
    top_holder_gone: str | None = Field(None, description='"departed" or "inactive" when the top holder left')
    top_holder_last_active: str | None = Field(None, description="the top holder's last commit (ISO time)")


class HotspotsLeftOut(BaseModel):
    tests: int = Field(description="test files with changes, left out (none when tests are counted)")
    changed_once: int = Field(description="files changed only once (in the window): no hotspot, however big")
    not_counted: int = Field(0, description="documentation, example and vendored files with changes, left out (the "
                                            "truck factor does not count them either)")


class HotspotsReport(BaseModel):
    repository: str
    since: str | None
    component: str | None
    tests: bool = Field(description="whether test files are counted")
    hotspots: list[Hotspot]
    left_out: HotspotsLeftOut


class AgentEntry(BaseModel):
    name: str
    id: str
    commits: int = Field(description="agent-assisted commits: authored, co-authored, reviewed or marked in the message")
    components: list[str]
    humans: list[str] = Field(description="humans who shepherded the work: authors, co-authors, reviewers, committers")
    first: str | None
    last: str | None


class ComponentAgentShare(BaseModel):
    name: str
    agent_share: float | None = Field(description="agent-assisted share of the component's recent commits")
    recent_commits: int | None
    agent_commits: int | None


class AgentsReport(BaseModel):
    repository: str
    assisted_commits: int | None
    recent_days: int | None
    agents: list[AgentEntry]
    components: list[ComponentAgentShare]


class TrendPeriod(_Open):
    period: str = Field(description="2024-03, 2024-Q1 or 2024")
    commits: int
    agent_share: float | None
    humans: int
    truck_factor: int | None = Field(description="at the period's end")
    human_truck_factor: int | None
    new_couplings: int | None = Field(description="component dependencies new since the previous period's end; null: not sampled")
    new_cycles: int | None
    from_agents: int | None = Field(description="new couplings and cycles carried by files agent-assisted commits changed")


class TrendsReport(BaseModel):
    repository: str
    period: Literal["month", "quarter", "year"]
    component: str | None
    periods: list[TrendPeriod]
    notes: list[str]


Component = Annotated[str | None, Query(max_length=300, description="Only this component")]
Name = Annotated[str, PathParam(max_length=300, description="The repository")]


@router.get("/repositories/{name}/coupling", response_model=CouplingReport, responses=READ)
def coupling(
    ws: WorkspaceDep,
    name: Name,
    component: Component = None,
    path: Annotated[str | None, Query(max_length=1000, description="Only pairs with this file (or, ending in /, a directory)")] = None,
    min_revs: Annotated[int | None, Query(ge=1, le=1_000_000, description="Raise the minimum average revisions")] = None,
    min_shared: Annotated[int | None, Query(ge=1, le=1_000_000, description="Raise the minimum shared commits")] = None,
    min_degree: Annotated[float | None, Query(ge=0, le=100, description="Raise the minimum degree (%)")] = None,
    limit: Annotated[int | None, Query(ge=1, le=100_000, description="At most this many file pairs")] = None,
    tests: Annotated[bool, Query(description="List pairs with a test file too (left out by default)")] = False,
) -> dict[str, Any]:
    """Change coupling (code-maat semantics): file pairs and component pairs that change together; pairs with a test
    file only with `tests`.

    The same JSON as `cairn coupling --format json`.
    """
    return changes.coupling(ws, name, component=component, path=path, min_revs=min_revs, min_shared=min_shared,
                            min_degree=min_degree, limit=limit, tests=tests)


@router.get("/repositories/{name}/hotspots", response_model=HotspotsReport, responses=READ)
def hotspots(
    ws: WorkspaceDep,
    name: Name,
    since: Annotated[str | None, Query(max_length=40, description="Count changes since this date (YYYY-MM-DD)")] = None,
    component: Component = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 50,
    tests: Annotated[bool, Query(description="Count test files too (left out by default)")] = False,
) -> dict[str, Any]:
    """Files by changes × lines, with the component's truck factor and the top knowledge holder; a file changed
    only once is no hotspot, and test files are left out unless `tests`.

    The same JSON as `cairn hotspots --format json`.
    """
    return changes.hotspots(ws, name, since=since, component=component, limit=limit, tests=tests)


@router.get("/repositories/{name}/agents", response_model=AgentsReport, responses=READ)
def agents(ws: WorkspaceDep, name: Name, component: Component = None) -> dict[str, Any]:
    """The agent inventory: each agent's commits, components and shepherding humans, and agent share per component.

    The same JSON as `cairn agents --format json`.
    """
    return changes.agents(ws, name, component=component)


@router.get("/repositories/{name}/trends", response_model=TrendsReport, responses=READ)
def trends(
    ws: WorkspaceDep,
    name: Name,
    period: Annotated[Literal["month", "quarter", "year"] | None, Query(description="Default: as kept at ingest")] = None,
    component: Component = None,
) -> dict[str, Any]:
    """Per period: commits, agent share, humans, truck factors at the period's end, new couplings and cycles.

    The same JSON as `cairn trends --format json`. The first call after an ingest may extract the code of a few
    past commits from the checkout (cached afterwards).
    """
    return changes.trends(ws, name, period=period, component=component)
