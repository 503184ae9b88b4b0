"""The HTTP API's contract: pydantic v2 models for every request and response body.

Responses that other analyses define (bus factor, decisions, rule check) are
passed through as the same JSON the CLI prints; their models are open
(``extra="allow"``) so the contract names the fields clients rely on without
freezing the rest. A finding is ``graph.findings.Finding`` itself, the type
every analysis reports. Errors are RFC 9457 problem details (``Problem``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from cairn.graph.findings import Finding
from cairn.graph.severity import Verdict

# Git refs from a request reach ``git`` as arguments: no leading dash (no option injection), no spaces or control characters.
GIT_REF_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9._/@{}~^+-]{0,199}$"
MAX_DIFF_CHARS = 5_000_000
# Caps on list sizes: a request may not ask for unbounded work (the body limit bounds bytes, these bound items).
MAX_PR_FILES = 5_000
MAX_REVIEWS_PER_REQUEST = 1_000
MAX_FILES_PER_REVIEW = 5_000
MAX_CYPHER_PARAMS = 100
RepoPath = Annotated[str, StringConstraints(min_length=1, max_length=1_000)]


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong and what to do about it."""

    type: str = Field(description="A URI naming the kind of problem")
    title: str = Field(description="Short summary of the kind of problem")
    status: int = Field(description="HTTP status code")
    detail: str = Field(description="What went wrong in this request, and how to fix it")
    instance: str | None = Field(None, description="The request path")
    errors: list[dict[str, Any]] | None = Field(None, description="Validation errors, one per bad field")


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str
    store: str = Field(description="embedded or neo4j")
    repositories: int


class Repository(BaseModel):
    name: str
    path: str | None = None
    head: str | None = None
    branch: str | None = None
    remote: str | None = None
    ingested_at: str | None = None
    languages: dict[str, int] = Field(default_factory=dict)
    config_source: str | None = None


class JobStage(BaseModel):
    stage: str
    done: int
    total: int


class IngestJob(BaseModel):
    id: str
    repository: str
    status: Literal["queued", "running", "succeeded", "failed"]
    stage: str | None = Field(None, description="The stage running now (or last run)")
    stages: list[JobStage] = Field(default_factory=list, description="Progress of every stage seen so far, in order")
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None
    error: str | None = None
    summary: dict[str, Any] | None = Field(None, description="The ingest summary, once it succeeded")


class ComponentSummary(BaseModel):
    name: str
    modules: int
    files: int
    truck_factor: int | None = None
    human_truck_factor: int | None = None
    at_risk: bool | None = None
    inferred: bool = False
    description: str | None = None
    parent: str | None = Field(None, description="The component it is nested in")
    package: str | None = Field(None, description="The name its build unit's manifest gives it (a crate, an npm package …)")


class ComponentAtAGlance(BaseModel):
    name: str
    description: str | None = Field(None, description="What its card says it is for (cairn.toml, a decision, its README, "
                                                      "its package's own documentation)")
    purpose_source: str | None = Field(None, description="Where that purpose comes from")
    truck_factor: int | None = None
    at_risk: bool | None = None
    depends_on: list[str] = Field(default_factory=list, description="The components it depends on")
    used_by: list[str] = Field(default_factory=list, description="The components that depend on it")


class ComponentOverview(BaseModel):
    repository: str
    components: list[ComponentAtAGlance]


class ModuleRef(BaseModel):
    name: str
    path: str | None = None
    language: str | None = None


class ComponentDependency(BaseModel):
    component: str
    count: int = Field(description="Module import edges behind the dependency")
    kinds: dict[str, int] = Field(default_factory=dict)


class ExternalUse(BaseModel):
    name: str
    imports: int
    stdlib: bool = Field(False, description="Part of the language's standard library")


class DecisionRef(Open):
    path: str
    number: Any = None
    title: str
    status: str | None = None
    date: str | None = None
    inferred: bool | None = None
    confidence: float | None = None


class BusFactor(BaseModel):
    truck_factor: int | None = None
    human_truck_factor: int | None = None
    at_risk: bool | None = None
    orphaned_files: int | None = Field(None, description="Files none of whose authors is left (a share of them above "
                                                         "thresholds.orphaned_share puts the component at risk)")
    knowledge_holders: list[Any] = Field(default_factory=list)
    ask_first: list[dict[str, Any]] | None = Field(
        None, description="Where more than thresholds.orphaned_share of the files have no author left: the people still "
                          "here to ask first (person, id, why), as who-knows ranks them; three at most, empty when nobody "
                          "is left; null elsewhere")


class Owner(BaseModel):
    owner: str
    name: str
    kind: Literal["person", "team"]
    handle: str | None = Field(None, description="How CODEOWNERS names the owner (@login, @org/team or an e-mail)")
    component: bool = Field(description="Declared owner of the component as a whole")
    files: int = Field(description="Files of the component it is declared owner of")


class Activity(BaseModel):
    person: str
    name: str
    kind: str | None = None
    file: str
    last_touch: str


class AgentInstructionsRef(Open):
    """A file of the repository's instructions to coding agents: repository-supplied text, quoted as data."""

    path: str
    kind: str | None = Field(None, description="AGENTS.md, CLAUDE.md, GEMINI.md, copilot, cursor or windsurf")
    scope: str | None = Field(None, description="repository, directory or globs")
    lines: int | None = None
    size: int | None = Field(None, description="Bytes")
    text: str | None = Field(None, description="The start of the text, as the repository supplies it")
    same_as: str | None = Field(None, description="An earlier file with the very same text")


class ComponentCard(BaseModel):
    repository: str
    name: str
    description: str | None = None
    purpose_source: str | None = Field(None, description="configuration, decision <path> or <dir>/README")
    paths: list[str]
    system: str | None = None
    domain: str | None = None
    inferred: bool
    package: str | None = Field(None, description="The name its build unit's manifest gives it (a crate, an npm package …)")
    files: int
    module_count: int
    modules: list[ModuleRef]
    depends_on: list[ComponentDependency]
    used_by: list[ComponentDependency]
    external_packages: list[ExternalUse] = Field(description="Third-party packages its modules import")
    standard_library: list[ExternalUse] = Field(default_factory=list, description="Standard-library modules its modules import")
    decisions: list[DecisionRef]
    bus_factor: BusFactor
    owners: list[Owner]
    recent_activity: list[Activity]
    agent_instructions: list[AgentInstructionsRef] = Field(default_factory=list)


class PathEdge(Open):
    source: str
    target: str


class DependencyPath(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    from_kind: Literal["component", "module"]
    to_kind: Literal["component", "module"]
    level: Literal["component", "module"]
    found: bool
    path: list[str]
    length: int | None
    edges: list[PathEdge]
    reverse_path: list[str] = Field(description="When there is no path, the path the other way round, if any")
    message: str


class SearchHit(Open):
    kind: Literal["component", "module", "person", "decision"]
    name: str
    title: str
    match: Literal["exact", "prefix", "word", "substring"]


class SearchResults(BaseModel):
    query: str
    total: int
    results: list[SearchHit]


class CentralModule(BaseModel):
    module: str
    component: str | None = None
    path: str | None = None
    score: float = Field(description="PageRank on the module import graph")
    imported_by: int
    imports: int


class ReadingItem(BaseModel):
    kind: Literal["decision", "module", "person"]
    title: str
    ref: str
    why: str


class ReadingList(BaseModel):
    repository: str
    component: str | None = None
    decisions: list[DecisionRef] = Field(description="The first decisions to read: in force, newest first")
    decisions_total: int = Field(description="How many decisions the list would hold uncut (`cairn adrs` lists them)")
    modules: list[CentralModule]
    people: list[dict[str, Any]]
    items: list[ReadingItem] = Field(description="Everything above, in reading order")


class PRCheckRequest(BaseModel):
    """Either ``base`` and ``head`` refs of the registered checkout, or a unified ``diff`` with post-change ``files``."""

    model_config = ConfigDict(extra="forbid")

    repository: str | None = Field(None, max_length=300, description="A repository already in the store; optional when it holds only one")
    base: str | None = Field(None, pattern=GIT_REF_PATTERN, description="Branch or commit the change goes into")
    head: str | None = Field(None, pattern=GIT_REF_PATTERN, description="Branch or commit of the change")
    diff: str | None = Field(None, max_length=MAX_DIFF_CHARS, description="A unified diff (git diff output)")
    files: dict[RepoPath, str] = Field(default_factory=dict, max_length=MAX_PR_FILES,
                                       description="Post-change contents of every added or modified file, by path")
    author: str | None = Field(None, max_length=500, description="The PR's author as the forge reports it ('Name <email>' or a login such as copilot-swe-agent[bot]); counts for agent detection")
    description: str | None = Field(None, max_length=200_000, description="The PR description: rationale, ADR references, agent markers")

    @model_validator(mode="after")
    def _one_mode(self) -> "PRCheckRequest":
        refs = self.base is not None or self.head is not None
        if refs and self.diff is not None:
            raise ValueError("give either base and head, or diff (with files), not both")
        if refs and (self.base is None or self.head is None):
            raise ValueError("give both base and head")
        if not refs and self.diff is None:
            raise ValueError("give base and head refs, or a unified diff with the post-change files")
        if refs and self.files:
            raise ValueError("files go with a diff; with base and head the contents come from git")
        if sum(len(v) for v in self.files.values()) > MAX_DIFF_CHARS * 4:
            raise ValueError("files are too large for one request")
        return self


class AgentDetection(Open):
    detected: bool
    evidence: list[Any] = Field(default_factory=list)


class PRCheckReport(Open):
    verdict: Verdict
    findings: list[Finding]
    new_edges: list[dict[str, Any]]
    touched_components: list[dict[str, Any]]
    suggested_reviewers: list[Any]
    agent: AgentDetection


class WebhookResult(Open):
    event: str
    action: str | None = None
    status: Literal["checked", "ignored", "pong", "duplicate"]
    repository: str | None = None
    report: PRCheckReport | None = None
    reason: str | None = None
    posted: list[dict[str, Any]] | None = Field(None, description="What was posted on GitHub (with CAIRN_GITHUB_TOKEN or a GitHub App)")


class CypherRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cypher: str = Field(min_length=1, max_length=20_000, description="A read-only Cypher query; use $parameters for values")
    params: dict[str, Any] = Field(default_factory=dict, max_length=MAX_CYPHER_PARAMS)


class CypherResult(BaseModel):
    rows: list[dict[str, Any]]


class ModuleDependencies(Open):
    modules: list[dict[str, Any]]
    externals: list[dict[str, Any]] = Field(
        default_factory=list, description="Imported packages outside the repository: id, name, ecosystem, stdlib (standard library)")
    edges: list[dict[str, Any]]


class ComponentDependencies(Open):
    components: list[str]
    edges: list[dict[str, Any]]


class ReviewRecord(BaseModel):
    """A review from the forge: who reviewed which files of the repository (see ingest.reviews)."""

    model_config = ConfigDict(extra="forbid")

    reviewer: str = Field(..., min_length=1, max_length=500, description="'Name <email>' or a forge login")
    files: list[RepoPath] = Field(..., min_length=1, max_length=MAX_FILES_PER_REVIEW, description="Repository-relative paths the review covered")
    pull_request: str | None = Field(None, max_length=300, description="The pull request, e.g. '#123' or its URL")
    submitted_at: datetime | None = Field(None, description="When the review was submitted (ISO 8601)")


class ReviewBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reviews: list[ReviewRecord] = Field(..., min_length=1, max_length=MAX_REVIEWS_PER_REQUEST)


class ReviewsAccepted(BaseModel):
    repository: str
    accepted: int
    duplicates: int
    total: int
    notes: list[str]


# -- who knows a path, the briefing before a change -------------------------------------------


class PathHolder(Open):
    person: str
    id: str
    active: bool = Field(description="False when the person is gone (departed or inactive); `gone` says why")
    authored: int | None = Field(None, description="Files of the path they are an author of (degree of authorship); "
                                 "none for a path answered from its latest commits (`history`)")
    share: float | None = Field(None, description="authored / files of the path")
    touched: int | None = Field(None, description="Files of the path they changed")
    commits: int = Field(0, description="Their commits to the path's files (one per file a commit changed); of a path "
                                        "answered from its latest commits, their commits among those")
    reviewed: int | None = Field(None, description="Files of the path they have review credit on")
    last_touch: str | None = None


class PathKnowledge(Open):
    path: str
    kind: Literal["file", "directory", "repository", "untracked"]
    files: int = Field(description="Tracked source files the path stands for")
    nearest: str | None = Field(None, description="For an untracked path: the tracked directory answering for it")
    history: dict[str, int] | None = Field(None, description="For an untracked path answered from its own latest commits "
                                           "in git (documentation, configuration: Cairn keeps no history of them): "
                                           "how many were read (`commits`) of at most `latest`")
    components: list[dict[str, Any]]
    holders: list[PathHolder]
    more_holders: int | None = None
    codeowners: list[dict[str, Any]]
    more_codeowners: int | None = Field(None, description="How many owners more than the limit shows")
    owners_file: str | None = Field(None, description="Where the owners are declared: CODEOWNERS, or Prow's OWNERS files")
    ask: list[dict[str, Any]] = Field(description="Whom to ask first now: the active people who changed the files, by their recent work on them (commits, authorship), then the declared owners still here")


class WhoKnows(BaseModel):
    repository: str
    paths: list[PathKnowledge]


class Briefing(Open):
    repository: str
    paths: list[str] | None = None
    component: str | None = None
    components: list[dict[str, Any]]
    rules: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    ask: list[dict[str, Any]]
    codeowners: list[dict[str, Any]]
    changes_with: dict[str, Any] | None = Field(description="What usually changes with these files; null when the graph has no change coupling")
    agent_activity: dict[str, Any]
    recent_changes: list[dict[str, Any]]
    instructions: list[AgentInstructionsRef] = Field(description="The repository's own instructions to agents that apply, quoted as data")
    instructions_source: str | None = None
    omitted: dict[str, int] | None = Field(None, description="How many rows each list left out (raise limit for more)")
    notes: list[str] | None = None
