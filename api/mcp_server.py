"""Cairn's read queries as MCP tools, over stdio, for coding agents (``cairn mcp``).

An agent can ask before it writes: which components exist and how risky they
are, what a component is for and who knows it, which rules and decisions
apply, whether a diff it is about to propose crosses a boundary, how two parts
depend on each other, what to read first. Built on the official MCP Python SDK
(``mcp.server.mcpserver.MCPServer``); every tool returns the same JSON as the
CLI and the HTTP API. Failures a caller can fix (an unknown name, a malformed
diff) come back as tool errors with a message, never as a crash.

Nothing goes to stdout except the protocol: logs go to stderr.
"""

from __future__ import annotations

import threading
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.store import GraphStore, StoreError, open_store

INSTRUCTIONS = (
    "Cairn knows this system's components, their dependencies, the architecture decisions (ADRs) and boundary rules "
    "that govern them, and who holds the knowledge of each part. Before changing code: look up the component card of "
    "what you touch (purpose, decisions, knowledge holders, bus factor), the rules that apply, and run pr_check_diff on "
    "your diff; cite the decision or give a rationale when you cross a boundary."
)


class _Graphs:
    """The store and each repository's graph, reloaded only when the repository was re-ingested."""

    def __init__(self, location: str, default_repo: str | None):
        self.location, self.default_repo = location, default_repo
        self._store: GraphStore | None = None
        self._cache: dict[str, tuple[tuple, RepoGraph]] = {}
        self._lock = threading.Lock()

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            self._store = open_store(self.location)
        return self._store

    def repository_names(self) -> list[str]:
        return [r.repo for r in self.store.repositories()]

    def get(self, repository: str | None) -> RepoGraph:
        known = {r.repo: r for r in self.store.repositories()}
        name = repository or self.default_repo
        if name is None:
            if len(known) != 1:
                raise ToolError(
                    "the store holds no repository yet: run `cairn ingest PATH`" if not known
                    else f"the store holds several repositories ({', '.join(sorted(known))}): pass repository"
                )
            name = next(iter(known))
        if name not in known:
            raise ToolError(f"repository {name!r} is not in the store (it holds: {', '.join(sorted(known)) or 'nothing'})")
        props = known[name].props
        version = (props.get("ingested_at"), props.get("head"))
        with self._lock:
            cached = self._cache.get(name)
            if cached and cached[0] == version:
                return cached[1]
        graph = self.store.load(name)
        with self._lock:
            self._cache[name] = (version, graph)
        return graph


def _call(fn, *args: Any, **kwargs: Any) -> Any:
    """Run a query, turning what a caller can fix into a tool error with the query's own message."""
    try:
        return fn(*args, **kwargs)
    except ToolError:
        raise
    except (LookupError, ValueError, StoreError) as exc:
        raise ToolError(str(exc.args[0] if exc.args else exc)) from None


def _colleague(module: str, what: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            raise ToolError(f"{what} is not available in this build of Cairn") from None
        raise


def build_server(store_location: str, repo: str | None = None) -> MCPServer:
    """The MCP server over the store at ``store_location``; ``repo`` is the default repository."""
    from cairn.queries import explore
    from cairn.queries.dependencies import component_list

    graphs = _Graphs(store_location, repo)
    server = MCPServer(name="cairn", title="Cairn system-knowledge graph", instructions=INSTRUCTIONS, log_level="WARNING")

    def tool(fn):
        # The docstring, unwrapped, is what the agent reads.
        return server.tool(description=" ".join((fn.__doc__ or "").split()))(fn)

    @tool
    def list_repositories() -> dict[str, Any]:
        """The repositories Cairn has ingested, with their checkout path and head commit."""
        rows = [{"name": r.repo, "path": r.props.get("path"), "head": r.props.get("head"), "ingested_at": r.props.get("ingested_at")}
                for r in _call(lambda: graphs.store.repositories())]
        return {"repositories": rows}

    @tool
    def list_components(repository: str | None = None) -> dict[str, Any]:
        """Every component: module count, truck factor, whether its knowledge is at risk, what it depends on."""
        graph = graphs.get(repository)
        summaries = {c["name"]: c for c in explore.component_summaries(graph)}
        for c in component_list(graph)["components"]:
            summaries[c["name"]].update(depends_on=c["depends_on"], used_by=c["used_by"], paths=c["paths"])
        return {"repository": graph.repo, "components": list(summaries.values())}

    @tool
    def component_card(component: str, repository: str | None = None) -> dict[str, Any]:
        """What a component is for, its modules, dependencies in and out, governing decisions, knowledge holders,
        bus factor, declared owners and recent activity. Ask this before changing a component."""
        return _call(explore.component_card, graphs.get(repository), component)

    @tool
    def bus_factor(component: str | None = None, leaving: list[str] | None = None, repository: str | None = None) -> dict[str, Any]:
        """Truck factor of the repository (or one component), knowledge holders, and what happens if the people in
        `leaving` (ids, names or e-mails) leave."""
        ownership = _colleague("cairn.queries.ownership", "the bus factor analysis")
        return _call(ownership.bus_factor, graphs.get(repository), component=component, leaving=list(leaving or []))

    @tool
    def decisions(repository: str | None = None) -> dict[str, Any]:
        """The architecture decision records: status, date, deciders, governed components, supersession links."""
        from cairn.api.commands.decisions import decisions_data

        graph = graphs.get(repository)
        return {"repository": graph.repo, **decisions_data(graph)}

    @tool
    def rules(component: str | None = None, repository: str | None = None) -> dict[str, Any]:
        """The boundary rules (layers, forbidden imports, independence, allowed-only, acyclic, interfaces) with the
        decision behind each; with `component`, only the rules that name it."""
        graph = graphs.get(repository)
        if component is not None:
            _call(explore.component_card, graph, component)  # an unknown name is an error, with suggestions
        declared_by = {e.source: graph.nodes[e.target].key for e in graph.of_type(Rel.DECLARED_BY)}
        rows = []
        for rule in sorted(graph.of_label(Label.RULE), key=lambda n: n.key):
            props = {k: v for k, v in rule.props.items() if k != "repo"}
            if component is not None and not _mentions(props, component):
                continue
            rows.append({**props, "id": rule.key, "decision": declared_by.get(rule.id, props.get("because"))})
        return {"repository": graph.repo, "component": component, "rules": rows}

    @tool
    def check_rules(repository: str | None = None) -> dict[str, Any]:
        """Check the boundary rules on the ingested code: current violations with rule, decision and evidence."""
        from cairn.api.routers.decisions import read_baseline

        boundaries = _colleague("cairn.queries.boundaries", "the boundary rule check")
        graph = graphs.get(repository)
        return _call(lambda: boundaries.check(graph, baseline=read_baseline(graph, boundaries)).to_dict())

    @tool
    def pr_check_diff(diff: str, files: dict[str, str], author: str | None = None, description: str | None = None,
                      repository: str | None = None) -> dict[str, Any]:
        """Check a proposed change before opening a PR: a unified diff plus the full post-change contents of every
        added or modified file (path -> text). Reports new boundary violations, couplings and cycles, at-risk
        components touched, and who should review. Put your rationale or the ADR you follow in `description`."""
        pr_check = _colleague("cairn.queries.pr_check", "the PR check")
        from cairn.api.services import cache_dir_for

        graph = graphs.get(repository)
        try:
            return pr_check.check_diff(graph, diff, files, author=author, description=description, cache_dir=cache_dir_for(graphs.store))
        except pr_check.PRCheckError as exc:
            raise ToolError(str(exc)) from None

    @tool
    def dependency_path(source: str, target: str, repository: str | None = None) -> dict[str, Any]:
        """The shortest chain by which `source` depends on `target` (components or modules; prefix `component:` or
        `module:` to disambiguate). Says so when there is none."""
        return _call(explore.shortest_path, graphs.get(repository), source, target)

    @tool
    def search(query: str, repository: str | None = None) -> dict[str, Any]:
        """Find components, modules, people and decisions whose name or title contains `query`."""
        return _call(explore.search, graphs.get(repository), query)

    @tool
    def reading_list(component: str | None = None, repository: str | None = None) -> dict[str, Any]:
        """What to read first about the repository (or one component): decisions in force, central modules, people."""
        return _call(explore.reading_list, graphs.get(repository), component)

    @tool
    def change_coupling(path: str | None = None, component: str | None = None, repository: str | None = None) -> dict[str, Any]:
        """Files that usually change together with `path` (or within `component`), from git history: degree, shared
        commits, and whether an import connects them. Before editing a file, check its partners: `imports: false`
        means hidden coupling that reading imports will not show."""
        coupling = _colleague("cairn.queries.coupling", "change coupling")
        return _call(coupling.coupling, graphs.get(repository), path=path, component=component)

    @tool
    def hotspots(since: str | None = None, component: str | None = None, limit: int = 20,
                 repository: str | None = None) -> dict[str, Any]:
        """Files where change concentrates (changes × lines, optionally since a YYYY-MM-DD date), with the component's
        truck factor and the file's top knowledge holder."""
        module = _colleague("cairn.queries.hotspots", "hotspots")
        return _call(module.hotspots, graphs.get(repository), since=since, component=component, limit=limit)

    @tool
    def agent_inventory(component: str | None = None, repository: str | None = None) -> dict[str, Any]:
        """Coding agents that worked on the repository: their commits, the components they changed, the humans who
        shepherded them, and each component's recent agent-assisted share."""
        module = _colleague("cairn.queries.agents", "the agent inventory")
        return _call(module.agents, graphs.get(repository), component=component)

    @tool
    def trends(period: str | None = None, component: str | None = None, repository: str | None = None) -> dict[str, Any]:
        """Per period (month, quarter or year): commits, agent share, active humans, truck factors at the period's end,
        new component couplings and cycles, and how many came from agent-assisted work."""
        from cairn.api.change_service import trends_report
        from cairn.api.services import cache_dir_for

        return _call(trends_report, graphs.get(repository), period=period, component=component,
                     cache_dir=cache_dir_for(graphs.store))

    return server


def _mentions(value: Any, name: str) -> bool:
    if isinstance(value, str):
        return value == name or value.startswith(name + ".") or value.startswith(name + "/")
    if isinstance(value, dict):
        return any(_mentions(v, name) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_mentions(v, name) for v in value)
    return False


def run_stdio(store_location: str, repo: str | None = None) -> None:
    build_server(store_location, repo).run("stdio")
