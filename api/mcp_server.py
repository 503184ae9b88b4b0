"""Cairn's read queries as MCP tools, over stdio, for coding agents (``cairn mcp``).

An agent can ask before it writes: which components exist and how risky they
are, what a component is for and who knows it, which rules and decisions
apply, whether a diff it is about to propose crosses a boundary, how two parts
depend on each other, what to read first, which files change together, where
change concentrates, which agents worked where and how all that moved over time. Built on the official MCP Python SDK
(``mcp.server.mcpserver.MCPServer``); every tool calls the same service as the
CLI and the HTTP API and returns the same JSON. A ``CairnError`` (an unknown
name, a malformed diff, an empty store) comes back as a tool error with its
message, never as a crash.

The ``cypher`` tool (Neo4j stores only) runs through the same service as
``POST /api/v1/query`` and ``cairn query``: read clauses only, a time limit and a
row and byte cap (``cairn mcp --cypher-timeout …`` or ``$CAIRN_CYPHER_*``).

Nothing goes to stdout except the protocol: logs go to stderr.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from cairn.api.services import changes_over_time, reads
from cairn.api.services.changes import pr_check_diff as check_diff
from cairn.api.services.checks import check_boundaries
from cairn.api.services.workspace import Workspace
from cairn.graph.cypher_policy import CypherLimits
from cairn.graph.errors import CairnError

INSTRUCTIONS = (
    "Cairn knows this system's components, their dependencies, the architecture decisions (ADRs) and boundary rules "
    "that govern them, and who holds the knowledge of each part. Before changing code: look up the component card of "
    "what you touch (purpose, decisions, knowledge holders, bus factor), the rules that apply, and run pr_check_diff on "
    "your diff; cite the decision or give a rationale when you cross a boundary."
)

T = TypeVar("T")


def _tool_errors(fn: Callable[..., T]) -> Callable[..., T]:
    """Every ``CairnError`` a tool meets becomes a tool error carrying its message."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except CairnError as exc:
            raise ToolError(str(exc)) from None

    return wrapper


def build_server(store_location: str, repo: str | None = None, cypher_limits: CypherLimits | None = None) -> MCPServer:
    """The MCP server over the store at ``store_location``; ``repo`` is the default repository."""
    ws = Workspace(store_location, naming_hint="pass repository", default_repo=repo)
    server = MCPServer(name="cairn", title="Cairn system-knowledge graph", instructions=INSTRUCTIONS, log_level="WARNING")

    def tool(fn):
        # The docstring, unwrapped, is what the agent reads.
        return server.tool(description=" ".join((fn.__doc__ or "").split()))(_tool_errors(fn))

    @tool
    def list_repositories() -> dict[str, Any]:
        """The repositories Cairn has ingested, with their checkout path and head commit."""
        rows = [{"name": r.repo, "path": r.props.get("path"), "head": r.props.get("head"), "ingested_at": r.props.get("ingested_at")}
                for r in reads.repositories(ws)]
        return {"repositories": rows}

    @tool
    def list_components(repository: str | None = None) -> dict[str, Any]:
        """Every component: module count, truck factor, whether its knowledge is at risk, what it depends on."""
        name = ws.repository(repository).repo
        return {"repository": name, **reads.components(ws, name)}

    @tool
    def component_card(component: str, repository: str | None = None) -> dict[str, Any]:
        """What a component is for, its modules, dependencies in and out, governing decisions, knowledge holders,
        bus factor, declared owners and recent activity. Ask this before changing a component."""
        return reads.component_card(ws, repository, component)

    @tool
    def bus_factor(component: str | None = None, leaving: list[str] | None = None, path: str | None = None,
                   repository: str | None = None) -> dict[str, Any]:
        """Truck factor of the repository (or one component, or the files under `path`), knowledge holders, and what
        happens if the people in `leaving` (names, e-mails or @logins) leave."""
        return reads.bus_factor(ws, repository, component=component, leaving=leaving or [], path=path)

    @tool
    def people(repository: str | None = None) -> dict[str, Any]:
        """Everyone in the history: kind (human, bot, agent), the names, e-mails and GitHub logins merged into each
        person, commits, last activity, and pairs that look like one person but were not merged."""
        return reads.people(ws, repository)

    @tool
    def decisions(repository: str | None = None) -> dict[str, Any]:
        """The architecture decision records: status, date, deciders, governed components, supersession links."""
        name = ws.repository(repository).repo
        return {"repository": name, **reads.decisions(ws, name)}

    @tool
    def rules(component: str | None = None, repository: str | None = None) -> dict[str, Any]:
        """The boundary rules (layers, forbidden imports, independence, allowed-only, acyclic, interfaces) with the
        decision behind each; with `component`, only the rules that name it."""
        return reads.rules(ws, repository, component)

    @tool
    def check_rules(repository: str | None = None) -> dict[str, Any]:
        """Check the boundary rules on the ingested code: current violations with rule, decision and evidence."""
        return check_boundaries(ws, repository).report.to_json()

    @tool
    def pr_check_diff(diff: str, files: dict[str, str], author: str | None = None, description: str | None = None,
                      repository: str | None = None) -> dict[str, Any]:
        """Check a proposed change before opening a PR: a unified diff plus the full post-change contents of every
        added or modified file (path -> text). Reports new boundary violations, couplings and cycles, at-risk
        components touched, and who should review. Put your rationale or the ADR you follow in `description`."""
        return check_diff(ws, repository, diff, files, description=description, author=author).to_json()

    @tool
    def dependency_path(source: str, target: str, repository: str | None = None) -> dict[str, Any]:
        """The shortest chain by which `source` depends on `target` (components or modules; prefix `component:` or
        `module:` to disambiguate). Says so when there is none."""
        return reads.shortest_path(ws, repository, source, target)

    @tool
    def search(query: str, repository: str | None = None) -> dict[str, Any]:
        """Find components, modules, people and decisions whose name or title contains `query`."""
        return reads.search(ws, repository, query)

    @tool
    def cypher(query: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Read-only Cypher on a Neo4j store (the graph's labels: Repository, Component, Module, Person, Decision, Rule…;
        every node has _repo). Only reads: MATCH, OPTIONAL MATCH, WITH, WHERE, RETURN, ORDER BY, SKIP, LIMIT, UNWIND,
        UNION, CALL { subquery }, db.labels(); use $params for values. The query has a time limit and the answer a
        row and size cap."""
        return {"rows": reads.cypher(ws, query, params or {}, limits=cypher_limits)}

    @tool
    def reading_list(component: str | None = None, repository: str | None = None) -> dict[str, Any]:
        """What to read first about the repository (or one component): decisions in force, central modules, people."""
        return reads.reading_list(ws, repository, component)

    @tool
    def change_coupling(path: str | None = None, component: str | None = None, repository: str | None = None) -> dict[str, Any]:
        """Files that usually change together with `path` (or within `component`), from git history: degree, shared
        commits, and whether an import connects them. Before editing a file, check its partners: `imports: false`
        means hidden coupling that reading imports will not show."""
        return changes_over_time.coupling(ws, repository, path=path, component=component)

    @tool
    def hotspots(since: str | None = None, component: str | None = None, limit: int = 20,
                 repository: str | None = None) -> dict[str, Any]:
        """Files where change concentrates (changes × lines, optionally since a YYYY-MM-DD date), with the component's
        truck factor and the file's top knowledge holder."""
        return changes_over_time.hotspots(ws, repository, since=since, component=component, limit=limit)

    @tool
    def agent_inventory(component: str | None = None, repository: str | None = None) -> dict[str, Any]:
        """Coding agents that worked on the repository: their commits, the components they changed, the humans who
        shepherded them, and each component's recent agent-assisted share."""
        return changes_over_time.agents(ws, repository, component=component)

    @tool
    def trends(period: str | None = None, component: str | None = None, repository: str | None = None) -> dict[str, Any]:
        """Per period (month, quarter or year): commits, agent share, active humans, truck factors at the period's end,
        new component couplings and cycles, and how many came from agent-assisted work."""
        return changes_over_time.trends(ws, repository, period=period, component=component)

    return server


def run_stdio(store_location: str, repo: str | None = None, cypher_limits: CypherLimits | None = None) -> None:
    build_server(store_location, repo, cypher_limits).run("stdio")
